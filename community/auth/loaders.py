"""How a request is tied to a member: the session cookie, or a bearer token.

A request that carries `Authorization: Bearer …` is the token's alone: the member behind a
valid token, else a visitor (401 where a member is needed) — whatever session cookie comes
with it. Otherwise a client that keeps cookies (one page read gives it a session holding a
CSRF token) would lose its token to Flask-Login's session protection, and a session beside a
bogus token would pass for a token client and skip the CSRF check. `by_token()` says which.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select

from community.auth.services import member_for_token
from community.extensions import db
from community.members.models import Member


def load_member_from_session(user_id: str) -> Member | None:
    """Sessions carry `id.nonce`: a rotated nonce ends every session of the member."""
    member_id, _, nonce = user_id.partition(".")
    if not member_id.isdigit() or not nonce:
        return None
    member = db.session.execute(
        select(Member).where(Member.id == int(member_id))
    ).scalar_one_or_none()
    if member is None or member.session_nonce != nonce or member.email_confirmed_at is None:
        return None
    return member


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def load_member_from_request(_request: object) -> Member | None:
    """API clients authenticate with `Authorization: Bearer <token>`."""
    clear = bearer_token()
    if clear is None:
        return None
    found = member_for_token(clear)
    if found is None:
        return None
    member, token = found
    g.api_token = token
    return member


def by_token() -> bool:
    """This request is authenticated by a valid bearer token (not by the session cookie)."""
    return g.get("api_token") is not None


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)

    @app.before_request
    def _token_alone() -> None:
        if bearer_token() is None:
            return
        member = load_member_from_request(request)
        # Flask-Login's own way to set the request's user: the session is neither read nor
        # touched (its protection would clear it).
        login_manager._update_request_context_with_user(member)

    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_member_from_session)
    login_manager.request_loader(load_member_from_request)
