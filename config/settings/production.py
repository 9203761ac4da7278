"""Production: PostgreSQL, secrets from the environment, secure cookies and HSTS.

Refuses to start unless DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS are set.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
DATABASES = {"default": dj_database_url.parse(_required("DATABASE_URL"), conn_max_age=60)}
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]
# Links in e-mails must point at the real service, never a default.
OPENMASH_SITE_URL = _required("OPENMASH_SITE_URL")

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mash@localhost")

OPENMASH_ALLOW_DEMO_DATA = False
OPENMASH_DEMO_BANNER = False

# Behind a reverse proxy every request comes from the proxy's address: name the header the
# proxy puts the client's address in (its rightmost entry is the one the proxy added), so the
# public form's per-address rate limit counts families, not the proxy.
OPENMASH_CLIENT_IP_HEADER = os.environ.get("OPENMASH_CLIENT_IP_HEADER", "").strip()
# One cache for every worker process on the machine (the public form's rate limit); a
# deployment over several machines sets CACHE_LOCATION to a shared directory or swaps in
# another backend.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_LOCATION", str(BASE_DIR / "var" / "cache")),  # noqa: F405
    }
}
