from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.assistance"
    label = "assistance"
    default_auto_field = "django.db.models.BigAutoField"
