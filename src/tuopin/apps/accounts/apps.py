from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login audit receivers)
