from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.fieldwork"
    label = "fieldwork"
    default_auto_field = "django.db.models.BigAutoField"
