from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.demo"
    label = "demo"
