from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.monitoring"
    label = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A return to poverty ends the household's open case (decision 1442); the registry, below monitoring,
        # announces it rather than calling up (decision 1300).
        from tuopin.apps.registry.signals import status_announced

        from .returns import on_status_announced

        status_announced.connect(on_status_announced, dispatch_uid="monitoring.on_status_announced")
