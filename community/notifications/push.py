"""Web push (RFC 8030, 8291 aes128gcm, 8292 VAPID): one more channel next to the site and mail.

A push carries a title and a URL, nothing else. The title is the notification's text for
kinds whose text names only people by pseudonym and things by title; kinds whose text quotes
something a person wrote (a message, an answer, a moderation reason) get a title of their own
that quotes nothing. Pushes are queued once the transaction commits and leave from a worker
thread (a bounded queue: a full queue drops the push, the notification stays on the site), so
a request never waits for a push service. A subscription answered 404 or 410 is deleted; a 5xx
or a network error is retried a few times after a short back-off.
"""

from __future__ import annotations

import atexit
import base64
import json
import queue
import threading
import time
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from community.core.models import utcnow
from community.core.notify import kinds as registered_kinds
from community.core.signals import on_commit
from community.extensions import db
from community.members.models import Member
from community.notifications.models import KINDS, Notification
from community.notifications.push_models import PushKindSetting, PushSubscription

MAX_TITLE = 200
TTL = 24 * 3600  # a push service keeps a push for a phone that is off for a day at most
VAPID_LIFETIME = 12 * 3600  # RFC 8292: at most 24 hours
RETRY_DELAYS = (0.5, 2.0, 8.0)  # seconds before each new try after a 5xx or a network error
DEV_KEY_FILE = "vapid-private-key.txt"

# Labels of the kinds the notifications domain sends itself (other domains register theirs
# with `core.notify.register_kind`, label included).
LABELS: dict[str, Any] = {
    "reply": _l("Replies to my messages"),
    "mention": _l("When someone mentions me"),
    "initiative_status": _l("Answers and news of initiatives I follow"),
    "membership": _l("Answers to my requests to join a community"),
    "moderation": _l("Moderation decisions about me"),
    "gardener": _l("When I am named gardener"),
    "ambassador": _l("When I am asked to be an ambassador"),
    "handover": _l("Handover notes for me"),
    "invitation": _l("People who join through my invitation"),
    "overdue": _l("Initiatives waiting for an answer past their deadline"),
}


def _reply_title(who: str) -> Any:
    return _l("%(who)s replied to you in a discussion", who=who)


def _mention_title(who: str) -> Any:
    return _l("%(who)s mentioned you in a discussion", who=who)


# Kinds whose text quotes what someone wrote: their push title quotes nothing.
PRIVATE_TEXT_TITLES: dict[str, Any] = {
    "reply": _reply_title,
    "mention": _mention_title,
    "initiative_status": lambda who: _l("An initiative you follow has news"),
    "membership": lambda who: _l("Your request to join a community has an answer"),
    "moderation": lambda who: _l("A moderation decision concerns you"),
    "event_cancelled": lambda who: _l("A rencontre you registered for is cancelled"),
}
# Kinds their domain registers `pushable=False` because their text quotes someone, that push
# still sends with the title above (moderation stays off the lock screen, as its domain chose).
PUSHED_WITH_OWN_TITLE = frozenset({"reply", "mention", "membership"})


# --- settings and keys -------------------------------------------------------------------


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


# --- which kinds a member may choose ---------------------------------------------------------


def pushable_kinds() -> dict[str, Any]:
    """Every kind of notification that may be pushed, with its label (registered kinds read at
    each call: other domains add theirs at import time)."""
    registered = registered_kinds()
    choices: dict[str, Any] = {}
    for name in (*KINDS, *registered):
        kind = registered.get(name)
        if name in choices or (kind is not None and not _pushable(kind)):
            continue
        choices[name] = LABELS.get(name) or (kind.label if kind else name)
    return choices


def _pushable(kind: Any) -> bool:
    return bool(kind.pushable) or kind.name in PUSHED_WITH_OWN_TITLE


def push_title(notification: Notification, actor: Member | None) -> str:
    """What the phone shows: never a message, an answer, a help request or a hidden text."""
    maker = PRIVATE_TEXT_TITLES.get(notification.kind)
    if maker is not None:
        who = actor.display_name if actor is not None else str(_l("Someone"))
        title = str(maker(who))
    else:
        title = notification.text
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def payload_of(notification: Notification, actor: Member | None) -> dict[str, str]:
    """The whole content of a push: a title and a path on this site."""
    return {"title": push_title(notification, actor), "url": notification.url or "/notifications"}


# --- queueing, after commit ------------------------------------------------------------------


@dataclass
class Job:
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str
    data: str
    kind: str = ""
    attempt: int = 0


def push_after_commit(notification: Notification) -> None:
    """Queue a push of `notification` to each of its member's phones, once this commits."""
    if notification.kind not in pushable_kinds() or not enabled():
        return
    member = notification.member
    refused = (
        select(PushKindSetting.member_id)
        .where(
            PushKindSetting.member_id == member.id,
            PushKindSetting.kind == notification.kind,
            PushKindSetting.enabled.is_(False),
        )
        .exists()
    )
    subscriptions = db.session.execute(
        select(PushSubscription).where(PushSubscription.member_id == member.id, ~refused)
    ).scalars()
    jobs = []
    actor = db.session.get(Member, notification.actor_id) if notification.actor_id else None
    data: str | None = None
    for subscription in subscriptions:
        if data is None:
            with force_locale(member.locale):
                data = json.dumps(payload_of(notification, actor), ensure_ascii=False)
        jobs.append(
            Job(
                subscription.id,
                subscription.endpoint,
                subscription.p256dh,
                subscription.auth,
                data,
                notification.kind,
            )
        )
    if jobs:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        on_commit(lambda: dispatcher(app).submit_all(jobs))


# --- the worker ---------------------------------------------------------------------------------


class Dispatcher:
    """A bounded queue and one worker thread that sends pushes (green under gevent)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.queue: queue.Queue[Job | None] = queue.Queue(maxsize=app.config["PUSH_QUEUE_SIZE"])
        self._lock = threading.Condition()
        self._pending = 0  # queued, being sent or waiting for a retry
        self._timers: set[threading.Timer] = set()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.dropped = 0

    def submit_all(self, jobs: list[Job]) -> None:
        for job in jobs:
            self.submit(job)

    def submit(self, job: Job) -> bool:
        """Queue `job` without waiting; False (and the push is dropped) when the queue is full."""
        with self._lock:
            if self._stopped:
                return False
            self._start()
            self._pending += 1
        try:
            self.queue.put_nowait(job)
        except queue.Full:
            self.dropped += 1
            self.app.logger.warning("web push: queue full, a push is dropped")
            self._done()
            return False
        return True

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="terreau-push", daemon=True)
            self._thread.start()

    def _done(self) -> None:
        with self._lock:
            self._pending -= 1
            self._lock.notify_all()

    def wait_idle(self, timeout: float = 10) -> bool:
        """Wait until every queued push has been sent or given up (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def stop(self, timeout: float = 5) -> None:
        """Send what is queued (for `timeout` seconds at most), then stop the worker."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            for timer in self._timers:
                timer.cancel()
            cancelled = len(self._timers)
            self._timers.clear()
            self._pending -= cancelled
        thread = self._thread
        if thread is not None and thread.is_alive():
            self.queue.put(None)
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            job = self.queue.get()
            if job is None:
                return
            try:
                self._send(job)
            except Exception:
                self.app.logger.exception("web push: unexpected failure")
                self._done()

    def _send(self, job: Job) -> None:
        from pywebpush import WebPushException, webpush

        with self.app.app_context():
            key = private_key(self.app)
            subject = self.app.config["VAPID_SUBJECT"]
            timeout = self.app.config["PUSH_TIMEOUT"]
        if key is None:
            self._done()
            return
        parts = urlsplit(job.endpoint)
        claims: dict[str, str | int] = {
            "sub": subject,
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int(time.time()) + VAPID_LIFETIME,
        }
        status: int | None
        try:
            response = webpush(
                {"endpoint": job.endpoint, "keys": {"p256dh": job.p256dh, "auth": job.auth}},
                data=job.data,
                vapid_private_key=key,
                vapid_claims=claims,
                content_encoding="aes128gcm",
                timeout=timeout,
                ttl=TTL,
                headers={"Urgency": "normal"},
            )
            status = getattr(response, "status_code", 201)
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
        except Exception:  # network error, timeout
            status = None
        if status is not None and status < 300:
            self._record(job, success=True)
            self._done()
        elif status in (404, 410):
            self._forget(job)
            self._done()
        elif (status is None or status >= 500 or status == 429) and job.attempt < len(RETRY_DELAYS):
            self._retry(job)
        else:
            self.app.logger.warning("web push: given up (status %s)", status)
            self._record(job, success=False)
            self._done()

    def _retry(self, job: Job) -> None:
        delay = RETRY_DELAYS[job.attempt]
        job.attempt += 1

        def again() -> None:
            with self._lock:
                self._timers.discard(timer)
                if self._stopped:
                    self._pending -= 1
                    self._lock.notify_all()
                    return
            try:
                self.queue.put_nowait(job)
            except queue.Full:
                self.dropped += 1
                self._done()

        timer = threading.Timer(delay, again)
        timer.daemon = True
        with self._lock:
            if self._stopped:
                self._pending -= 1
                self._lock.notify_all()
                return
            self._timers.add(timer)
        timer.start()

    def _record(self, job: Job, *, success: bool) -> None:
        column = "last_success_at" if success else "last_failure_at"
        with self.app.app_context():
            try:
                db.session.execute(
                    update(PushSubscription)
                    .where(PushSubscription.id == job.subscription_id)
                    .values({column: utcnow()})
                )
                db.session.commit()
            finally:
                db.session.remove()

    def _forget(self, job: Job) -> None:
        """The push service says this subscription is gone: so is our row."""
        with self.app.app_context():
            try:
                db.session.execute(
                    delete(PushSubscription).where(PushSubscription.id == job.subscription_id)
                )
                db.session.commit()
            finally:
                db.session.remove()


_DISPATCHERS: dict[int, Dispatcher] = {}
_DISPATCHERS_LOCK = threading.Lock()


def dispatcher(app: Flask) -> Dispatcher:
    """The dispatcher of `app` (one per application, made at first use)."""
    with _DISPATCHERS_LOCK:
        found = _DISPATCHERS.get(id(app))
        if found is None or found.app is not app:
            found = Dispatcher(app)
            _DISPATCHERS[id(app)] = found
        return found


@atexit.register
def _shutdown() -> None:
    for found in list(_DISPATCHERS.values()):
        found.stop(timeout=2)
