"""Sign-up and bearer tokens for API clients."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _
from flask_smorest import Blueprint

from community.auth import mails, services
from community.auth.limits import login_limits, mail_limits
from community.auth.mails import deliver
from community.auth.models import ApiToken
from community.auth.schemas import (
    CredentialsSchema,
    SignupAnswerSchema,
    SignupSchema,
    TokenListSchema,
    TokenSchema,
)
from community.core.errors import Forbidden, Invalid, Unauthenticated
from community.core.handlers import keep_despite_refusal
from community.core.rest import authenticated_member
from community.core.standing import kept_while_suspended

blp = Blueprint("auth-api", __name__, url_prefix="/api/v1", description="Sign-up and tokens")


@blp.post("/members")
@mail_limits("SIGNUP_RATE_LIMIT")
@blp.arguments(SignupSchema)
@blp.response(202, SignupAnswerSchema)
def create_member(data: dict[str, Any]) -> dict[str, str]:
    """Sign up. The account is usable once the link e-mailed to the address is followed.

    The answer is the same whether or not the address already had an account (its owner
    gets an e-mail instead), so the API tells nobody which addresses are registered.
    """
    try:
        member = services.sign_up(services.SignupData(**data))
    except services.EmailTaken as taken:
        existing = services.find_by_email(taken.email)
        if existing is not None:
            deliver(mails.already_registered_message, existing)
    else:
        deliver(mails.confirmation_message, member)
    return {
        "status": "pending_confirmation",
        "message": _("We have sent an e-mail to this address: follow its link to finish."),
    }


@blp.post("/tokens")
@kept_while_suspended("logging in")
@login_limits()
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
def create_token(data: dict[str, Any]) -> dict[str, Any]:
    """Exchange an e-mail and password for a bearer token (shown once, stored hashed)."""
    member = services.authenticate(data["email"], data["password"])
    if member is None:
        raise Unauthenticated(_("Wrong e-mail or password."))
    if member.email_confirmed_at is None:
        keep_despite_refusal()  # the login is recorded (and the password rehashed) all the same
        raise Forbidden(_("Please confirm your e-mail first: follow the link we sent you."))
    clear, token = services.issue_token(member)
    return {"token": clear, "expires_at": token.expires_at}


@blp.delete("/tokens/current")
@kept_while_suspended("logging out")
@blp.response(204)
def delete_current_token() -> None:
    """Revoke the token this request was made with."""
    authenticated_member()
    token = g.get("api_token")
    if token is None:
        raise Invalid(_("This request was not made with a token."))
    services.revoke_token(token)


@blp.get("/me/tokens")
@blp.response(200, TokenListSchema)
def list_tokens() -> dict[str, Any]:
    """The caller's API tokens (never their value): when each was made and expires, and which
    one this request was made with."""
    member = authenticated_member()
    current = g.get("api_token")
    return {
        "tokens": [
            _token_row(token, current is not None and token.id == current.id)
            for token in services.tokens_of(member)
        ]
    }


def _token_row(token: ApiToken, current: bool) -> dict[str, Any]:
    return {
        "id": token.id,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "current": current,
    }


@blp.delete("/me/tokens/<int:token_id>")
@kept_while_suspended("ending one of her own sessions")
@blp.response(204)
def delete_token(token_id: int) -> None:
    """Revoke one of the caller's tokens (its live sockets close); 404 for anyone else's."""
    member = authenticated_member()
    services.revoke_token(services.token_of(member, token_id))
