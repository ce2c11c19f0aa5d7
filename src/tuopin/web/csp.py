"""Content-Security-Policy on every response (Django 5.2 has none built in; decision 0950).

The pages load scripts and styles only from /static/ and carry no inline script, so the policy allows
'self' and nothing inline. One exception: drf-spectacular's Swagger page (/api/docs/) keeps its inline
<style> block (decision 0402), so that page alone also allows inline styles — never inline scripts.
Charts draw on <canvas> and htmx adds its indicator rule through a constructed stylesheet: both are
allowed by the strict policy.
"""

from __future__ import annotations

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
INLINE_STYLE_PATHS = ("/api/docs/",)


def policy_for(path: str) -> str:
    directives = dict(POLICY)
    if path.startswith(INLINE_STYLE_PATHS):
        directives["style-src"] = "'self' 'unsafe-inline'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", policy_for(request.path))
        return response
