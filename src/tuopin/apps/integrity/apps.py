from django.apps import AppConfig


class Config(AppConfig):
    name = "tuopin.apps.integrity"
    label = "integrity"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "数据质量核查"
