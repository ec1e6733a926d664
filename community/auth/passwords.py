"""Password hashing with argon2."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# A hash to verify against when the e-mail is unknown, so that timing tells nothing.
_DUMMY_HASH = _hasher.hash("terreau-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def dummy_hash() -> str:
    """A valid hash of nothing anyone knows, for work done on behalf of an unknown address."""
    return _DUMMY_HASH


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if `password` matches; runs a full verification even when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
