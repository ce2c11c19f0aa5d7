from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.organisation"
    label = "organisation"
    default_auto_field = "django.db.models.BigAutoField"
