"""Sign-up and bearer tokens for API clients."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_babel import gettext as _
from flask_smorest import Blueprint

from community.auth import mails, services
from community.auth.mails import deliver
from community.auth.schemas import CredentialsSchema, SignupAnswerSchema, SignupSchema, TokenSchema
from community.core.errors import Forbidden, Invalid, Unauthenticated
from community.core.rest import authenticated_member
from community.extensions import db, limiter

blp = Blueprint("auth-api", __name__, url_prefix="/api/v1", description="Sign-up and tokens")


@blp.post("/members")
@limiter.limit(lambda: str(current_app.config["SIGNUP_RATE_LIMIT"]))
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
            deliver(mails.send_already_registered, existing)
    else:
        db.session.commit()
        deliver(mails.send_confirmation, member)
    return {
        "status": "pending_confirmation",
        "message": _("We have sent an e-mail to this address: follow its link to finish."),
    }


@blp.post("/tokens")
@limiter.limit(lambda: str(current_app.config["LOGIN_RATE_LIMIT"]))
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
def create_token(data: dict[str, Any]) -> dict[str, Any]:
    """Exchange an e-mail and password for a bearer token (shown once, stored hashed)."""
    member = services.authenticate(data["email"], data["password"])
    if member is None:
        raise Unauthenticated(_("Wrong e-mail or password."))
    if member.email_confirmed_at is None:
        db.session.commit()
        raise Forbidden(_("Please confirm your e-mail first: follow the link we sent you."))
    clear, token = services.issue_token(member)
    db.session.commit()
    return {"token": clear, "expires_at": token.expires_at}


@blp.delete("/tokens/current")
@blp.response(204)
def delete_current_token() -> None:
    """Revoke the token this request was made with."""
    authenticated_member()
    token = g.get("api_token")
    if token is None:
        raise Invalid(_("This request was not made with a token."))
    services.revoke_token(token)
    db.session.commit()
