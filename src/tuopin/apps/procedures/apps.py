from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.procedures"
    label = "procedures"
    default_auto_field = "django.db.models.BigAutoField"
