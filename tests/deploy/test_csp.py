"""The Content-Security-Policy header on every response (demo profile, Django test client)."""

from tuopin.web.csp import policy_for


def test_pages_get_a_strict_policy(client, county):
    client.force_login(county["accounts"]["county_admin"])
    for path in ("/", "/login/", "/static/web/site.js", "/api/households/"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self';" in csp
        assert "style-src 'self';" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_swagger_page_alone_allows_its_inline_style_but_no_inline_script():
    docs = policy_for("/api/docs/")
    assert "style-src 'self' 'unsafe-inline'" in docs
    assert "script-src 'self';" in docs
    assert "unsafe-inline" not in policy_for("/households/")
