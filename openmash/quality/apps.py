from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "openmash.quality"
    label = "quality"
