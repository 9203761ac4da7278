from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openmash.core"
    label = "core"
    verbose_name = "Core"
