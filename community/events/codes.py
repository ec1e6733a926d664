"""Signed codes: a registration's check-in code, a guest's single-use confirmation token.

The check-in code is short enough to type on a phone: `<registration id>-<8 letters>`, the
letters being the itsdangerous signature (HMAC with the app's SECRET_KEY) of the rencontre and
the registration. They are written with 23 capital letters that no digit looks like — no I,
L or O: the digits before the dash are the only digits, the letters after it the only letters,
so a 0 and an O, a 1 and an I never meet in one code.

Codes made before (base 32: A–Z and 2–7, with I and O) stay valid. Either is read whatever the
case, with the look-alikes a person types from paper or from hearing it: O, I or L among the
digits; 0, 1, 8 in an old code's letters (O, I, B); 8, 5, 2, 6 in a new one's (B, S, Z, G).
"""

from __future__ import annotations

import base64
import hmac
import re

from flask import current_app
from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"  # no I, L, O (and no digit)
LENGTH = 8
_CODE = re.compile(r"^(\d{1,12})-([A-Z0-9]{8})$")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "_": "-"})
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_OLD_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
_NEW_LOOKALIKES = str.maketrans({"8": "B", "5": "S", "2": "Z", "6": "G"})


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt="terreau.events.checkin")


def _signature(event_id: int, registration_id: int) -> bytes:
    signature = _signer().get_signature(f"{event_id}.{registration_id}")
    return base64.urlsafe_b64decode(signature + b"=" * (-len(signature) % 4))


def _letters(event_id: int, registration_id: int) -> str:
    """The letters of the codes shown now."""
    number = int.from_bytes(_signature(event_id, registration_id), "big")
    letters = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "".join(letters)


def _old_letters(event_id: int, registration_id: int) -> str:
    """The letters of the codes shown before (base 32), still accepted."""
    return base64.b32encode(_signature(event_id, registration_id)).decode()[:LENGTH]


def checkin_code(event_id: int, registration_id: int) -> str:
    """The code a registration shows at the door (also in its QR code)."""
    return f"{registration_id}-{_letters(event_id, registration_id)}"


def read_checkin_code(event_id: int, code: str) -> int | None:
    """The registration id a code stands for at this rencontre, or None if it is not genuine."""
    typed = "".join((code or "").split()).upper().translate(_DASHES)
    number, dash, letters = typed.partition("-")
    match = _CODE.match(number.translate(_DIGIT_LOOKALIKES) + dash + letters)
    if not match:
        return None
    registration_id = int(match.group(1))
    letters = match.group(2)
    new = hmac.compare_digest(
        _letters(event_id, registration_id), letters.translate(_NEW_LOOKALIKES)
    )
    old = hmac.compare_digest(
        _old_letters(event_id, registration_id), letters.translate(_OLD_LOOKALIKES)
    )
    return registration_id if new or old else None


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
