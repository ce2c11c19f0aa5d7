from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.monitoring"
    label = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"
