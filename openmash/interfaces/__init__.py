"""The top layer: what composes every app's interface into one (the JSON API's routers).
Nothing in openmash imports this package; config/urls.py does."""
