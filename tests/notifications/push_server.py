"""A push service for the tests, checking what a real one checks (RFC 8030, 8291, 8292).

It accepts `POST /push/<token>` only with a valid VAPID JWT (ES256 signed by the key in the
header, `aud` its own origin, `exp` in the future and at most 24 hours away, a `sub`), an
`aes128gcm` body and a `TTL`; it decrypts the body with the private key of the subscription
(made here as a browser makes it), so a test reads exactly what a phone would. Each token
can be told which statuses to answer (410, 503 then 201…).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


@dataclass
class Phone:
    """A browser's side of a subscription: its ECDH key pair and auth secret."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self) -> dict[str, Any]:
        """What `PushSubscription.toJSON()` gives in a browser."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }


@dataclass
class Received:
    token: str
    payload: dict[str, Any] | None
    claims: dict[str, Any]
    headers: dict[str, str]
    status: int
    error: str = ""
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class PushService:
    origin: str
    vapid_public_key: str  # the key the application signs with (base64url, raw)
    phones: dict[str, Phone] = field(default_factory=dict)
    answers: dict[str, list[int]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    gate: threading.Event = field(default_factory=threading.Event)

    def phone(self, *answers: int) -> Phone:
        """A new subscription; the service answers `answers` in turn, then 201."""
        token = b64url(os.urandom(12))
        phone = Phone(
            token,
            f"{self.origin}/push/{token}",
            ec.generate_private_key(ec.SECP256R1()),
            os.urandom(16),
        )
        self.phones[token] = phone
        self.answers[token] = list(answers)
        return phone

    def delivered(self, phone: Phone | None = None) -> list[dict[str, Any]]:
        """The payloads a phone (or every phone) could show, in order."""
        return [
            r.payload
            for r in self.received
            if r.status < 300
            and r.payload is not None
            and (phone is None or r.token == phone.token)
        ]

    def errors(self) -> list[str]:
        return [r.error for r in self.received if r.error]

    # --- checks --------------------------------------------------------------------------

    def check_vapid(self, header: str) -> dict[str, Any]:
        scheme, _, params = header.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"Authorization scheme {scheme!r}, not vapid")
        values = dict(part.strip().split("=", 1) for part in params.split(","))
        token, key = values["t"], values["k"]
        if key != self.vapid_public_key:
            raise ValueError("k is not the application's VAPID public key")
        head_b64, claims_b64, signature_b64 = token.split(".")
        head = json.loads(b64url_decode(head_b64))
        if head.get("alg") != "ES256":
            raise ValueError(f"JWT alg {head.get('alg')!r}")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        raw = b64url_decode(signature_b64)
        if len(raw) != 64:
            raise ValueError("ES256 signature is not 64 bytes")
        signature = encode_dss_signature(
            int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        )
        try:
            public.verify(signature, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("bad JWT signature") from None
        claims = json.loads(b64url_decode(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not {self.origin!r}")
        now = time.time()
        if not (now < int(claims["exp"]) <= now + 24 * 3600):
            raise ValueError("exp not in the next 24 hours")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            raise ValueError("sub is not a mailto: or https: contact")
        return dict(claims)

    def handle(self, token: str, headers: dict[str, str], body: bytes) -> tuple[int, Received]:
        phone = self.phones.get(token)
        if phone is None:
            return 404, Received(token, None, {}, headers, 404, "unknown subscription")
        try:
            claims = self.check_vapid(headers.get("authorization", ""))
            if headers.get("content-encoding") != "aes128gcm":
                raise ValueError("Content-Encoding is not aes128gcm")
            if "ttl" not in headers:
                raise ValueError("no TTL header")
            clear = http_ece.decrypt(
                body,
                private_key=phone.private_key,
                auth_secret=phone.auth_secret,
                version="aes128gcm",
            )
            payload = json.loads(clear.decode("utf-8"))
        except Exception as error:  # a real service answers 400/401/403
            return 400, Received(token, None, {}, headers, 400, f"{type(error).__name__}: {error}")
        with self.lock:
            answers = self.answers.get(token) or []
            status = answers.pop(0) if answers else 201
        return status, Received(token, payload, claims, headers, status)


def start_push_service(vapid_public_key: str) -> tuple[ThreadingHTTPServer, PushService]:
    service_holder: dict[str, PushService] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            service = service_holder["service"]
            service.gate.wait(10)  # tests close the gate to make the service slow
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            token = self.path.rsplit("/", 1)[-1] if self.path.startswith("/push/") else ""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, received = service.handle(token, headers, body)
            with service.lock:
                service.received.append(received)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    service = PushService(f"http://127.0.0.1:{server.server_port}", vapid_public_key)
    service.gate.set()
    service_holder["service"] = service
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, service
