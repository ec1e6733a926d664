"""Signed codes: a registration's check-in code, a guest's single-use confirmation token.

The check-in code is short enough to type on a phone: `<registration id>-<8 letters>`, the
letters being the itsdangerous signature (HMAC with the app's SECRET_KEY) of the rencontre and
the registration, in base 32 (no case, no 0/O confusion once upper-cased).
"""

from __future__ import annotations

import base64
import hmac
import re

from flask import current_app
from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer

CODE = re.compile(r"^\s*(\d{1,12})\s*-\s*([A-Za-z2-7]{8})\s*$")
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt="terreau.events.checkin")


def _letters(event_id: int, registration_id: int) -> str:
    signature = _signer().get_signature(f"{event_id}.{registration_id}")
    raw = base64.urlsafe_b64decode(signature + b"=" * (-len(signature) % 4))
    return base64.b32encode(raw).decode()[:8]


def checkin_code(event_id: int, registration_id: int) -> str:
    """The code a registration shows at the door (also in its QR code)."""
    return f"{registration_id}-{_letters(event_id, registration_id)}"


def read_checkin_code(event_id: int, code: str) -> int | None:
    """The registration id a code stands for at this rencontre, or None if it is not genuine."""
    number, dash, letters = (code or "").partition("-")
    # Read aloud or copied from paper, 0 and 1 are O and I (base 32 has no 0, 1 or 8).
    match = CODE.match(number + dash + letters.upper().translate(_LOOKALIKES))
    if not match:
        return None
    registration_id = int(match.group(1))
    expected = _letters(event_id, registration_id)
    if not hmac.compare_digest(expected, match.group(2).upper()):
        return None
    return registration_id


def _guest_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="terreau.events.guest")


def guest_token(registration_id: int) -> str:
    """The confirmation link's token (single use: the registration is confirmed once)."""
    return _guest_serializer().dumps({"r": registration_id})


def read_guest_token(token: str, max_age: int = 14 * 24 * 3600) -> int | None:
    try:
        data = _guest_serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    value = data.get("r") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _cancel_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="terreau.events.guest-cancel"
    )


def guest_cancel_token(registration_id: int) -> str:
    """The link a guest uses to give their place back (in their confirmation e-mail)."""
    return _cancel_serializer().dumps({"r": registration_id})


def read_guest_cancel_token(token: str, max_age: int = 400 * 24 * 3600) -> int | None:
    try:
        data = _cancel_serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    value = data.get("r") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
