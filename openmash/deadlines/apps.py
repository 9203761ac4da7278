from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "openmash.deadlines"
    label = "deadlines"
