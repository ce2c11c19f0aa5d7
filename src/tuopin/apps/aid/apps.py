from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.aid"
    label = "aid"
    default_auto_field = "django.db.models.BigAutoField"
