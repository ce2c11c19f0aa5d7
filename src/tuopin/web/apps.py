from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.web"
    label = "web"
