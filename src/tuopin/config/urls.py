from django.urls import include, path

urlpatterns = [
    path("api/", include("tuopin.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tuopin.web.urls")),
]
