from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.housing"
    label = "housing"
    default_auto_field = "django.db.models.BigAutoField"
