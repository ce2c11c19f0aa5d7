"""Every web and API request runs inside an audit context (audit.context): events written while serving it
carry the client's address, and the personal records it read become one `read` event (decisions 1151, 1152).

The read event is written here, after the view, whatever the view was — a new page or endpoint cannot forget
it. Its summary is the method, the path (numeric keys only: no personal data in URLs) and the status; a
refused or failed request that had loaded records before refusing is recorded too, with its status.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address

from . import context
from .services import audit_read


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with context.serving(address=get_client_ip_address(request)) as collector:
            response = self.get_response(request)
            if collector:
                user = getattr(request, "user", None)
                audit_read(actor=user if user is not None and user.is_authenticated else None,
                           collector=collector, source="api" if request.path.startswith("/api/") else "web",
                           summary=f"{request.method} {request.path} → {response.status_code}")
        return response
