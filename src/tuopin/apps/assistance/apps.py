from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.assistance"
    label = "assistance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A household exit sent back opens a rectification item (decision 1237); the registry, below assistance,
        # announces it rather than calling up (decision 1300).
        from tuopin.apps.procedures.signals import exit_sent_back

        from .rectification import on_exit_sent_back

        exit_sent_back.connect(on_exit_sent_back, dispatch_uid="assistance.on_exit_sent_back")
