"""Rate limits of the account doors, per client address AND per account.

Per address (Flask-Limiter's default key, the client address — the real one behind a proxy
once `TRUSTED_PROXIES` is set): one person cannot try many accounts fast. Per account (the
e-mail typed, hashed): many addresses trying one account are slowed too. Per mailbox (the
inbox the e-mail typed reaches, `core.ratelimit.mailbox_key`: "a+1@x.fr" and "A@X.FR" are
one): one inbox cannot be sent mail after mail. The per-account and per-mailbox buckets do
not depend on whether the address has an account, so their answer tells nothing either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import current_app, request

from community.core.ratelimit import mailbox_key
from community.extensions import limiter

F = Callable[..., Any]


def _config(name: str) -> str:
    return str(current_app.config[name])


def typed_email() -> str:
    """The e-mail the request names (form or JSON), normalised as accounts store it."""
    value = request.form.get("email")
    if value is None and request.is_json:
        body = request.get_json(silent=True)
        value = body.get("email") if isinstance(body, dict) else None
    return str(value or "").strip().casefold()[:254]


def account_key() -> str:
    return "account:" + hashlib.sha256(typed_email().encode()).hexdigest()[:32]


def mailbox_of_typed_email() -> str:
    return "mailbox:" + mailbox_key(typed_email())


def login_limits(methods: list[str] | None = None) -> Callable[[F], F]:
    """Decorate a door that checks a password for an e-mail (login, tokens)."""

    def decorate(view: F) -> F:
        view = limiter.limit(
            lambda: _config("ACCOUNT_RATE_LIMIT"), key_func=account_key, methods=methods
        )(view)
        return limiter.limit(lambda: _config("LOGIN_RATE_LIMIT"), methods=methods)(view)

    return decorate


def mail_limits(address_setting: str, methods: list[str] | None = None) -> Callable[[F], F]:
    """Decorate a door that sends mail to the e-mail it is given (sign-up, forgot password)."""

    def decorate(view: F) -> F:
        view = limiter.limit(
            lambda: _config("ACCOUNT_MAIL_RATE_LIMIT"),
            key_func=mailbox_of_typed_email,
            methods=methods,
        )(view)
        return limiter.limit(lambda: _config(address_setting), methods=methods)(view)

    return decorate
