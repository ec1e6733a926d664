"""Sending pushes: a bounded queue and one worker thread per application, retries after a short
back-off, a subscription the push service says is gone deleted."""

from __future__ import annotations

import atexit
import queue
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import delete, update

from community.core.models import utcnow
from community.extensions import db
from community.notifications.push_keys import private_key
from community.notifications.push_models import PushSubscription

TTL = 24 * 3600  # a push service keeps a push for a phone that is off for a day at most
VAPID_LIFETIME = 12 * 3600  # RFC 8292: at most 24 hours
RETRY_DELAYS = (0.5, 2.0, 8.0)  # seconds before each new try after a 5xx or a network error


@dataclass
class Job:
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str
    data: str
    kind: str = ""
    attempt: int = 0


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
