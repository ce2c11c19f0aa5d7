from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.geo"
    label = "geo"
    default_auto_field = "django.db.models.BigAutoField"
