from django.urls import include, path

urlpatterns = [
    path("api/", include("tuopin.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tuopin.web.urls")),
]

# A database busy with another writer is a 503 wherever it is raised (decision 1141); the rest is Django's 500.
handler500 = "tuopin.web.errors.server_error"
