from django.apps import AppConfig


class Config(AppConfig):
    """Backup and restore (`tuopin backup` / `tuopin restore`); no models of its own."""

    name = "tuopin.apps.durability"
    label = "durability"
