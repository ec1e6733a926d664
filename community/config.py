"""Configuration read from the environment, with working defaults for a laptop.

Every setting can be given as an environment variable of the same name.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

# A development key is only acceptable outside production; `ProductionConfig.check` refuses it.
DEV_SECRET_KEY = "dev-only-insecure-key"  # noqa: S105


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def database_url(value: str | None) -> str | None:
    """Accept the usual `postgresql://` form and use the psycopg 3 driver for it."""
    if value and value.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value or None


def _list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class Config:
    """Defaults shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL")) or (
        f"sqlite:///{INSTANCE / 'terreau.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(INSTANCE / "uploads")

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool(os.environ.get("SESSION_COOKIE_SECURE"), False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(days=_int("SESSION_DAYS", 14))
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024)

    # Forms
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Languages
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Paris"
    LANGUAGES = ("fr", "en")

    # Accounts
    PASSWORD_MIN_LENGTH = _int("PASSWORD_MIN_LENGTH", 10)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    API_TOKEN_DAYS = _int("API_TOKEN_DAYS", 30)

    # Rate limits, in Flask-Limiter's notation
    RATELIMIT_ENABLED = _bool(os.environ.get("RATELIMIT_ENABLED"), True)
    # brotli/gzip by the app (community/core/frontend.py); `false` when the proxy compresses.
    COMPRESS_REGISTER = _bool(os.environ.get("COMPRESS"), True)
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count in memory meanwhile (logged), go back to Redis once it answers.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or (
        os.environ.get("REDIS_URL") or "memory://"
    )
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT") or "10 per minute"
    SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT") or "20 per hour"
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT") or "5 per hour"
    MESSAGE_RATE_LIMIT = os.environ.get("MESSAGE_RATE_LIMIT") or "20 per 10 seconds"
    TYPING_RATE_LIMIT = os.environ.get("TYPING_RATE_LIMIT") or "10 per 10 seconds"
    # `thread:read`, per member and thread: the page sends it at most every 5 seconds.
    READ_RATE_LIMIT = os.environ.get("READ_RATE_LIMIT") or "20 per minute"
    # `thread:join`, per member: a page joins once, then again after a reconnection, a gap, or
    # while it catches up 200 messages at a time; each join takes a writer's transaction.
    JOIN_RATE_LIMIT = os.environ.get("JOIN_RATE_LIMIT") or "60 per minute"
    # PostgreSQL: a thread's messages commit one after the other, each waiting for its WAL
    # flush (a disk sync: 4–5 ms on the benchmark machine, so at most ~200 messages/s into
    # one thread). false: a message's transaction commits without waiting for it
    # (`synchronous_commit = off`, that transaction only): a crash of the database server may
    # lose the last fraction of a second of messages, never corrupt or reorder anything.
    MESSAGES_SYNCHRONOUS_COMMIT = _bool(os.environ.get("MESSAGES_SYNCHRONOUS_COMMIT"), True)
    # Per account (the e-mail typed), whatever the client address: password attempts, and
    # mails sent to one address by sign-up and forgotten-password.
    ACCOUNT_RATE_LIMIT = os.environ.get("ACCOUNT_RATE_LIMIT") or "20 per 15 minutes"
    ACCOUNT_MAIL_RATE_LIMIT = os.environ.get("ACCOUNT_MAIL_RATE_LIMIT") or "5 per hour"
    # How many proxies in front set X-Forwarded-For/-Proto/-Host (nginx alone: 1). 0 trusts
    # none: the client address is the connection's. Rate limits count per real client.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    QUESTIONNAIRE_RATE_LIMIT = os.environ.get("QUESTIONNAIRE_RATE_LIMIT") or "10 per minute"
    # Registering for a rencontre without an account mails a confirmation link: per client
    # address, per e-mail address, and no second link while the first is this fresh.
    GUEST_RATE_LIMIT = os.environ.get("GUEST_RATE_LIMIT") or "20 per hour"
    GUEST_MAIL_RATE_LIMIT = os.environ.get("GUEST_MAIL_RATE_LIMIT") or "5 per hour"
    GUEST_LINK_RESEND_MINUTES = _int("GUEST_LINK_RESEND_MINUTES", 30)

    # Real time
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE") or "threading"
    # Origins allowed to open a socket besides the page's own (always allowed) and PUBLIC_URL's.
    ALLOWED_ORIGINS = _list(os.environ.get("ALLOWED_ORIGINS"))

    # Mail: "console" prints to the log, "smtp" sends through MAIL_SERVER
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or "console"
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or "localhost"
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool(os.environ.get("MAIL_USE_TLS"), False)
    MAIL_USE_SSL = _bool(os.environ.get("MAIL_USE_SSL"), False)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    # Mails a request sends leave from a worker thread: no answer waits for (or is timed by) SMTP.
    MAIL_IN_BACKGROUND = _bool(os.environ.get("MAIL_IN_BACKGROUND"), True)
    MAIL_DRAIN_SECONDS = _int("MAIL_DRAIN_SECONDS", 10)  # at exit, to send what is queued
    MAIL_DEFAULT_SENDER = (
        os.environ.get("MAIL_DEFAULT_SENDER") or "Terreau <ne-pas-repondre@terreau.local>"
    )
    # Unset: links use the address each request came to (`PORT` alone is enough). Required in
    # production: there every link sent (mails, shared links, QR codes) uses it and never the
    # request's Host header, which anyone can write (core/origins.py).
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or ""
    # Host names a request may be sent to (Flask's TRUSTED_HOSTS; any other answers 400).
    # Unset outside production; in production PUBLIC_URL's host, plus the names listed here
    # (an active health checker that calls a process by its address).
    TRUSTED_HOSTS: list[str] | None = _list(os.environ.get("TRUSTED_HOSTS")) or None
    PORT = _int("PORT", 5000)

    # Web push (VAPID, RFC 8292). Without a private key push is off; development makes one
    # under instance/ at first use (`flask vapid-keys` too).
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY") or None
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT") or "mailto:ne-pas-repondre@terreau.local"
    PUSH_ENABLED = _bool(os.environ.get("PUSH_ENABLED"), True)
    # Push services a subscription may point to (`*.` for subdomains); plain http only for
    # the loopback hosts listed here (a test push server).
    PUSH_ALLOWED_HOSTS = _list(os.environ.get("PUSH_ALLOWED_HOSTS")) or [
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "*.push.apple.com",
        "*.notify.windows.com",
    ]
    PUSH_QUEUE_SIZE = _int("PUSH_QUEUE_SIZE", 1000)
    PUSH_TIMEOUT = _int("PUSH_TIMEOUT", 10)

    # API documentation (flask-smorest)
    API_TITLE = "Terreau"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    # Domain settings
    INITIATIVE_ANSWER_DAYS = _int("INITIATIVE_ANSWER_DAYS", 30)
    # Reports and join requests waiting longer than this come first in the "à faire" inbox.
    REPORT_ANSWER_HOURS = _int("REPORT_ANSWER_HOURS", 48)
    MEMBERSHIP_ANSWER_DAYS = _int("MEMBERSHIP_ANSWER_DAYS", 7)
    HELP_REQUEST_DAYS = _int("HELP_REQUEST_DAYS", 60)
    SIGNAL_RETENTION_MONTHS = _int("SIGNAL_RETENTION_MONTHS", 12)
    OBSERVATORY_MIN_CELL = _int("OBSERVATORY_MIN_CELL", 5)
    # How long a process keeps the observatory page's figures (core/cache.py; 0: never).
    OBSERVATORY_CACHE_SECONDS = _int("OBSERVATORY_CACHE_SECONDS", 60)
    # How long a process keeps the active themes' and neighbourhoods' names (0: never).
    PLACES_CACHE_SECONDS = _int("PLACES_CACHE_SECONDS", 60)
    # How long a process keeps a community page's public figures (0: never).
    PUBLIC_COUNTS_CACHE_SECONDS = _int("PUBLIC_COUNTS_CACHE_SECONDS", 60)
    # How long a process keeps a member's header badges (core/header.py; 0: never).
    HEADER_CACHE_SECONDS = _int("HEADER_CACHE_SECONDS", 10)
    # How long a process keeps a visitor's page (core/pagecache.py; 0: never).
    VISITOR_PAGE_CACHE_SECONDS = _int("VISITOR_PAGE_CACHE_SECONDS", 5)
    VISITOR_PAGE_CACHE_SIZE = _int("VISITOR_PAGE_CACHE_SIZE", 256)  # pages kept at most
    # The query parameters a kept visitor's page may have (any other one: not kept).
    VISITOR_PAGE_CACHE_QUERY = (
        "page", "status", "kind", "sort", "theme", "neighbourhood", "community",
        "informal", "spontaneous",
    )  # fmt: skip
    DEMO_ACCOUNTS_ENABLED = True

    @classmethod
    def check(cls) -> None:
        """Refuse settings that would be unsafe in this environment."""


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://"
    MAIL_BACKEND = "smtp"
    MAIL_IN_BACKGROUND = False  # tests read the outbox right after the request
    # Generous limits: the tests that exercise a limit lower it themselves.
    LOGIN_RATE_LIMIT = "1000 per minute"
    SIGNUP_RATE_LIMIT = "1000 per minute"
    PASSWORD_RESET_RATE_LIMIT = "1000 per minute"  # noqa: S105 - a rate, not a password
    MESSAGE_RATE_LIMIT = "1000 per minute"
    TYPING_RATE_LIMIT = "1000 per minute"
    READ_RATE_LIMIT = "1000 per minute"
    JOIN_RATE_LIMIT = "1000 per minute"
    ACCOUNT_RATE_LIMIT = "1000 per minute"
    ACCOUNT_MAIL_RATE_LIMIT = "1000 per minute"
    QUESTIONNAIRE_RATE_LIMIT = "1000 per minute"
    GUEST_RATE_LIMIT = "1000 per minute"
    GUEST_MAIL_RATE_LIMIT = "1000 per minute"
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = "memory://"
    VAPID_PRIVATE_KEY = None  # the push tests give their own
    OBSERVATORY_CACHE_SECONDS = 0  # the tests that check a cache set it themselves
    PLACES_CACHE_SECONDS = 0
    PUBLIC_COUNTS_CACHE_SECONDS = 0
    HEADER_CACHE_SECONDS = 0
    VISITOR_PAGE_CACHE_SECONDS = 0


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool(os.environ.get("SESSION_COOKIE_SECURE"), True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or "smtp"
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE") or "gevent"
    DEMO_ACCOUNTS_ENABLED = False
    # Push is on in production only with a real key (PUSH_ENABLED=true without one is refused).
    PUSH_ENABLED = _bool(os.environ.get("PUSH_ENABLED"), bool(os.environ.get("VAPID_PRIVATE_KEY")))
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT") or ""

    @classmethod
    def check(cls) -> None:
        key = os.environ.get("SECRET_KEY") or ""
        if key in {"", DEV_SECRET_KEY} or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        check_public_url(os.environ.get("PUBLIC_URL") or "")
        push_enabled = _bool(
            os.environ.get("PUSH_ENABLED"), bool(os.environ.get("VAPID_PRIVATE_KEY"))
        )
        if push_enabled:
            check_push_settings(
                os.environ.get("VAPID_PRIVATE_KEY") or "", os.environ.get("VAPID_SUBJECT") or ""
            )


def check_public_url(value: str) -> None:
    """Refuse to start production without the site's address: e-mailed links would otherwise
    take their host from the request's Host header, which an attacker writes."""
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path.strip("/")
        or parts.query
        or parts.fragment
    ):
        raise RuntimeError(
            "PUBLIC_URL must be set in production to the site's address, such as "
            "https://terreau.example.fr: every link sent by mail uses it"
        )


def production_settings() -> dict[str, Any]:
    """What production reads from the environment when the app is built (after `check`)."""
    public = (os.environ.get("PUBLIC_URL") or "").strip().rstrip("/")
    host = urlsplit(public).hostname or ""
    return {
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "PUBLIC_URL": public,
        "TRUSTED_HOSTS": [host, *_list(os.environ.get("TRUSTED_HOSTS"))],
    }


def check_push_settings(private_key: str, subject: str) -> None:
    """Refuse to start push without a valid VAPID key and a contact (mailto: or https:)."""
    if not private_key:
        raise RuntimeError(
            "VAPID_PRIVATE_KEY must be set for web push in production "
            "(`flask vapid-keys` makes one), or set PUSH_ENABLED=false"
        )
    from py_vapid import Vapid

    try:
        Vapid.from_string(private_key)
    except Exception:
        raise RuntimeError("VAPID_PRIVATE_KEY is not a valid P-256 private key") from None
    if not subject.startswith(("mailto:", "https://")):
        raise RuntimeError("VAPID_SUBJECT must be a mailto: or https: address of the operator")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    """Pick the configuration class named by `name` or by TERREAU_ENV / FLASK_ENV."""
    name = name or os.environ.get("TERREAU_ENV") or os.environ.get("FLASK_ENV") or "development"
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"unknown configuration {name!r}") from None
