"""Account rules: sign-up, authentication, password reset, API tokens.

Services take the acting member explicitly, flush, and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from community.auth.models import ApiToken, hash_token
from community.auth.passwords import hash_password, needs_rehash, verify_password
from community.auth.signals import (
    credentials_ended,
    email_confirmed,
    member_logged_out,
    member_signed_up,
)
from community.core.errors import Invalid, NotFound
from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member, new_session_nonce
from community.members.services import check_display_name, normalise_email
from community.territory.models import Neighbourhood

RESET_SALT = "terreau-password-reset"
CONFIRM_SALT = "terreau-confirm-email"
CONFIRM_MAX_AGE = 7 * 24 * 3600


@dataclass
class SignupData:
    email: str
    password: str
    display_name: str
    accept_charter: bool
    neighbourhood_id: int | None = None
    # Token of an ambassador's invitation link: records who brought whom (a dead link is ignored).
    invitation: str | None = None


def check_password(password: str) -> None:
    """Refuse passwords that are too short or too long."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise Invalid(
            _("Choose a password of at least %(n)d characters.", n=minimum),
            {"password": [_("At least %(n)d characters.", n=minimum)]},
        )
    if len(password) > 200:
        raise Invalid(_("This password is too long."), {"password": [_("At most 200 characters.")]})


def sign_up(data: SignupData) -> Member:
    """Create a citizen account. Refuses a taken pseudonym; a taken e-mail raises `EmailTaken`."""
    errors: dict[str, list[str]] = {}
    if not data.accept_charter:
        errors["accept_charter"] = [_("You need to accept the charter to join.")]
    email = normalise_email(data.email)
    try:
        check_password(data.password)
    except Invalid as error:
        errors.update(error.errors or {})
    try:
        display_name = check_display_name(data.display_name)
    except Invalid as error:
        errors.update(error.errors or {})
    neighbourhood = None
    if data.neighbourhood_id is not None:
        neighbourhood = db.session.get(Neighbourhood, data.neighbourhood_id)
        if neighbourhood is None or not neighbourhood.active:
            errors["neighbourhood_id"] = [_("Unknown neighbourhood.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    # Hashed before looking the address up: a known address must cost the same work as a
    # new one, or the answer's timing would tell which addresses have an account.
    password_hash = hash_password(data.password)
    if email_taken(email):
        raise EmailTaken(email)
    member = Member(
        email=email,
        display_name=display_name,
        display_name_key=display_name.casefold(),
        password_hash=password_hash,
        role="citizen",
        neighbourhood=neighbourhood,
        charter_accepted_at=utcnow(),
    )
    db.session.add(member)
    db.session.flush()
    member_signed_up.send(member, invitation=data.invitation or None)
    return member


def log_out(member: Member, *, everywhere: bool = False) -> None:
    """End the member's sessions (the caller clears the cookie). A new session nonce kills the
    session cookie and the remember cookie on the server (both carry the old nonce), so a
    copied cookie opens nothing afterwards; `everywhere` also revokes every API token. Their
    live sockets of those credentials close once the caller commits (`credentials_ended`)."""
    _end_sessions(member, everywhere=everywhere)
    member_logged_out.send(member, everywhere=everywhere)


class EmailTaken(Exception):
    """The e-mail has an account already. Callers must not tell the visitor so (see views)."""

    def __init__(self, email: str) -> None:
        super().__init__(email)
        self.email = email


def email_taken(email: str) -> bool:
    return db.session.execute(select(Member.id).where(Member.email == email)).first() is not None


def find_by_email(email: str) -> Member | None:
    return db.session.execute(
        select(Member).where(Member.email == normalise_email(email, strict=False))
    ).scalar_one_or_none()


def authenticate(email: str, password: str) -> Member | None:
    """The member with these credentials, or None (same work done either way)."""
    member = find_by_email(email)
    if not verify_password(member.password_hash if member else None, password):
        return None
    assert member is not None
    if needs_rehash(member.password_hash):
        member.password_hash = hash_password(password)
    member.last_login_at = utcnow()
    db.session.flush()
    return member


def account_fingerprint(member: Member) -> str:
    """A short digest of the account's credentials: it changes with the password and the
    session nonce, so a link signed with it dies when either changes."""
    digest = hashlib.sha256(f"{member.password_hash}|{member.session_nonce}".encode())
    return digest.hexdigest()[:24]


def make_confirm_token(member: Member) -> str:
    """A signed token for the link that confirms a new account's e-mail.

    It is bound to the account's state: it dies once the address is confirmed (single use)
    and when the password or the session nonce changes.
    """
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT).dumps(
        {"id": member.id, "e": member.email, "f": account_fingerprint(member)}
    )


def member_for_confirm_token(token: str) -> Member | None:
    """The unconfirmed member a confirmation token stands for; None if it is wrong, too old,
    already used, or made before the password changed."""
    if len(token) > 500:
        return None
    try:
        data = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT).loads(
            token, max_age=CONFIRM_MAX_AGE
        )
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    member = db.session.get(Member, data["id"]) if 0 < data["id"] < 2**63 else None
    if member is None or member.email != data.get("e") or member.email_confirmed_at is not None:
        return None
    if not secrets.compare_digest(account_fingerprint(member), str(data.get("f"))):
        return None
    return member


def confirm_email(token: str, password: str) -> Member | None:
    """Confirm the e-mail of a new account: the link proves the mailbox, the password proves
    the person who signed up. Both are needed, so that someone who registered another
    person's address first cannot have her confirm an account whose password they know, and
    a link alone never logs anyone in. None if the token or the password is wrong.
    """
    member = member_for_confirm_token(token)
    if not verify_password(member.password_hash if member else None, password):
        return None
    assert member is not None
    member.email_confirmed_at = utcnow()
    member.last_login_at = utcnow()
    db.session.flush()
    email_confirmed.send(member)
    return member


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(member: Member) -> str:
    """A signed link token; it dies with its age limit or when the password changes."""
    return _reset_serializer().dumps({"id": member.id, "h": account_fingerprint(member)})


def member_for_reset_token(token: str) -> Member | None:
    """The member a valid reset token stands for, or None if it is wrong, used or expired."""
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    member_id = data.get("id")
    member = (
        db.session.get(Member, member_id)
        if isinstance(member_id, int) and 0 < member_id < 2**63
        else None
    )
    if member is None:
        return None
    if not secrets.compare_digest(account_fingerprint(member), str(data.get("h"))):
        return None
    return member


def reset_password(member: Member, new_password: str) -> None:
    """Set a new password and end every other session and token of the member."""
    check_password(new_password)
    member.password_hash = hash_password(new_password)
    old_nonce = member.session_nonce
    member.session_nonce = new_session_nonce()
    newly_confirmed = member.email_confirmed_at is None
    if newly_confirmed:  # following the link proved the address
        member.email_confirmed_at = utcnow()
    hashes = _delete_tokens(member)
    if newly_confirmed:
        email_confirmed.send(member)
    credentials_ended.send(member, session_nonce=old_nonce, token_hashes=hashes)


def _end_sessions(member: Member, everywhere: bool = False) -> None:
    """Logging out: a new session nonce kills the session cookie and the remember cookie
    server-side (both carry the old nonce); everywhere also revokes every API token."""
    old_nonce = member.session_nonce
    member.session_nonce = new_session_nonce()
    hashes = _delete_tokens(member) if everywhere else []
    db.session.flush()
    credentials_ended.send(member, session_nonce=old_nonce, token_hashes=hashes)


def _delete_tokens(member: Member) -> list[str]:
    hashes = [token.token_hash for token in tokens_of(member)]
    db.session.execute(ApiToken.__table__.delete().where(ApiToken.member_id == member.id))
    db.session.flush()
    return hashes


def tokens_of(member: Member) -> list[ApiToken]:
    """The member's API tokens, newest first (expired ones included until they are revoked)."""
    return list(
        db.session.execute(
            select(ApiToken)
            .where(ApiToken.member_id == member.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        ).scalars()
    )


def token_of(member: Member, token_id: int) -> ApiToken:
    """One of the member's tokens; NotFound for anyone else's (the id tells nothing)."""
    token = db.session.get(ApiToken, token_id) if 0 < token_id < 2**63 else None
    if token is None or token.member_id != member.id:
        raise NotFound(_("This token does not exist."))
    return token


def issue_token(member: Member) -> tuple[str, ApiToken]:
    """A new bearer token for `member`: the clear value is returned once and stored hashed."""
    clear = secrets.token_urlsafe(32)
    token = ApiToken(
        member=member,
        token_hash=hash_token(clear),
        expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(token)
    db.session.flush()
    return clear, token


def member_for_token(clear: str) -> tuple[Member, ApiToken] | None:
    """The member a bearer token belongs to, if it is known and unexpired."""
    if not clear or len(clear) > 200:
        return None
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == hash_token(clear))
    ).scalar_one_or_none()
    now = utcnow()
    if token is None or not token.is_valid(now):
        return None
    return token.member, token


def revoke_token(token: ApiToken) -> None:
    member, token_hash = token.member, token.token_hash
    db.session.delete(token)
    db.session.flush()
    credentials_ended.send(member, session_nonce=None, token_hashes=[token_hash])
