"""Settings shared by every environment. Environment-specific modules import from here."""

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "openmash.core",
    "openmash.audit",
    "openmash.hubs",
    "openmash.accounts",
    "openmash.access",
    "openmash.contacts",
    "openmash.enquiries",
    "openmash.decisions",
    "openmash.people",
    "openmash.deadlines",
    "openmash.reporting",
    "openmash.governance",
    "openmash.quality",
    "openmash.demo",
    "openmash.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "openmash.core.middleware.RequestIdMiddleware",
    "openmash.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openmash.accounts.middleware.SessionTimeoutMiddleware",
    "openmash.accounts.middleware.PasswordChangeRequiredMiddleware",
    "openmash.audit.middleware.RefusedAccessAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it keeps the page's or the API's own answer to a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

# Axes first: a locked-out username+address (or a spraying address) is refused before any
# password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openmash.web.context_processors.service",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The product's name and the hub's name and LA code (offline; nothing is downloaded).
    {"NAME": "openmash.accounts.validators.ContextWordsValidator"},
]

# Sign-in lockout (openmash/accounts/lockout.py; docs/security.md "Sign-in, lockout and
# passwords"): five wrong passwords for one username from one address lock that pair; 20 from
# one address across usernames lock the address (password spraying); both cool off.
OPENMASH_SIGN_IN_COOL_OFF_SECONDS = 15 * 60
OPENMASH_SIGN_IN_ADDRESS_LIMIT = 20
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "openmash.accounts.lockout.cool_off"
AXES_HANDLER = "openmash.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "openmash.core.client.client_address"
AXES_USERNAME_CALLABLE = "openmash.accounts.lockout.lockout_username"
AXES_CLIENT_STR_CALLABLE = "openmash.accounts.lockout.client_str"
AXES_LOCKOUT_CALLABLE = "openmash.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lock, not from the last refused try.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful sign-ins are in the audit trail already: no second record with addresses.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Accounts nobody has signed in to for this long are switched off by
# `openmash accounts_disable_dormant` (daily in the worker with --schedule).
OPENMASH_DORMANT_AFTER_DAYS = 90

# Password reset links (Django's signed token) last one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "var" / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every Django form renders as GOV.UK Design System markup.
FORM_RENDERER = "openmash.web.forms.GovukFormRenderer"

# Sessions: signed-in staff are signed out after 30 minutes idle and 10 hours in all.
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# API tokens live for 8 hours (one working day) unless revoked sooner.
API_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "mash@openmash.invalid"

# The service's own address, for links in e-mails (feedback requests to referrers).
OPENMASH_SITE_URL = os.environ.get("OPENMASH_SITE_URL", "http://127.0.0.1:8000")

# The request header (e.g. "X-Forwarded-For") a trusted reverse proxy puts the client's
# address in; empty: the connection's own address (REMOTE_ADDR).
OPENMASH_CLIENT_IP_HEADER = ""
# Where "Exit this page" on the public forms (families' feedback) sends someone at once.
OPENMASH_EXIT_THIS_PAGE_URL = os.environ.get(
    "OPENMASH_EXIT_THIS_PAGE_URL", "https://www.bbc.co.uk/weather"
)

# Whose monthly returns a hub may import into the national view, besides its own: the
# importing hub's local authority code -> the hub codes it collects for (a regional or
# national collector). Set by the operator, e.g. OPENMASH_NATIONAL_RETURN_SOURCES=
# '{"999": ["100", "105"]}'; no role inside the product can widen it.
OPENMASH_NATIONAL_RETURN_SOURCES: dict[str, list[str]] = json.loads(
    os.environ.get("OPENMASH_NATIONAL_RETURN_SOURCES", "{}")
)

# Demo data may only be loaded where this is True (never in production).
OPENMASH_ALLOW_DEMO_DATA = False
# Shows the "demo data" banner on every page.
OPENMASH_DEMO_BANNER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_secret_paths": {"()": "openmash.core.log_filters.RedactSecretPaths"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    # Request logs carry paths only; paths never carry personal data (UUIDs only), and the one
    # secret a path carries (a referrer's rating token) is redacted by the handler's filter.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Axes' routine lines (every sign-in) are noise; its warnings carry no personal data
        # (accounts.lockout.client_str).
        "axes": {"level": "WARNING"},
        # Filtered where the records are made, so no handler (Django's own included) sees a
        # token: a logger's filters run before any handler, a handler's only for itself.
        "django.request": {"filters": ["redact_secret_paths"]},
        "django.server": {
            "handlers": ["console"],
            "filters": ["redact_secret_paths"],
            "propagate": False,
        },
    },
}
