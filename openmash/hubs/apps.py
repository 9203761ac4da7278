from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "openmash.hubs"
    label = "hubs"
