"""Web push's VAPID keys (made, read, published) and the checks of a subscription's endpoint
and keys."""

from __future__ import annotations

import base64
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app

DEV_KEY_FILE = "vapid-private-key.txt"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def generate_private_key() -> str:
    """A new P-256 private key, as the base64url of its 32 raw bytes."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def dev_key_path(app: Flask) -> Path:
    return Path(app.instance_path) / DEV_KEY_FILE


def ensure_dev_key(app: Flask) -> str:
    """The development key under instance/, made when missing."""
    path = dev_key_path(app)
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_private_key()
    path.write_text(key + "\n")
    path.chmod(0o600)
    app.logger.info("web push: a development VAPID key was written to %s", path)
    return key


def private_key(app: Flask | None = None) -> str | None:
    """The VAPID private key, or None when push is off."""
    app = app or current_app
    if not app.config.get("PUSH_ENABLED", True):
        return None
    key = app.config.get("VAPID_PRIVATE_KEY")
    if key:
        return str(key)
    if app.config.get("ENV_NAME") == "development":
        key = ensure_dev_key(app)
        app.config["VAPID_PRIVATE_KEY"] = key
        return key
    return None


def enabled(app: Flask | None = None) -> bool:
    return private_key(app) is not None


def public_key(app: Flask | None = None) -> str | None:
    """The VAPID public key as browsers want it (`applicationServerKey`: base64url, raw)."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid

    key = private_key(app)
    if key is None:
        return None
    vapid = Vapid.from_string(key)
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(raw)


def endpoint_allowed(endpoint: str, allowed_hosts: list[str]) -> bool:
    """An https endpoint on an allowed push service, or http on a listed loopback host."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    if not host or parts.username or parts.password:
        return False
    if parts.scheme == "http":
        if not _loopback(host):
            return False
    elif parts.scheme != "https":
        return False
    for allowed in (h.lower() for h in allowed_hosts):
        if allowed.startswith("*.") and host.endswith(allowed[1:]) and host != allowed[2:]:
            return True
        if host == allowed:
            return True
    return False


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def valid_keys(p256dh: str, auth: str) -> bool:
    """`p256dh` a P-256 public point (65 bytes), `auth` a 16-byte secret, both base64url."""
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        point = _b64url_decode(p256dh)
        secret = _b64url_decode(auth)
        if len(point) != 65 or len(secret) != 16:
            return False
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError):
        return False
    return True
