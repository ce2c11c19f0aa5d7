from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.revenue"
    label = "revenue"
    default_auto_field = "django.db.models.BigAutoField"
