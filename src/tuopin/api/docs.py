"""The OpenAPI schema and the Swagger UI page, for signed-in accounts, with no CDN.

County intranets (政务内网) have no internet: the Swagger UI files are static files of the installed
`drf_spectacular_sidecar` package (SWAGGER_UI_DIST = "SIDECAR"), served by whitenoise like ours.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated


class SchemaView(SpectacularAPIView):
    """OpenAPI 3: YAML by default, JSON with `?format=json` or `Accept: application/vnd.oai.openapi+json`."""

    permission_classes = [IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI; its start-up script is a separate file, so the page runs under a CSP without inline scripts."""

    permission_classes = [AllowAny]  # anonymous visitors are sent to the login page below
    url_name = "api:schema"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            if "script" not in request.GET:
                return redirect_to_login(request.get_full_path())
            raise NotAuthenticated()
        return super().get(request, *args, **kwargs)
