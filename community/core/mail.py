"""Sending mail: printed to the log in development, through SMTP (`MAIL_*`) otherwise."""

from __future__ import annotations

import atexit
import queue
import smtplib
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app

from community.core.signals import on_commit


def subject_line(subject: str) -> str:
    """A subject as mail clients show it: one line, whatever a title held (a line break in a
    header would break the message), and no final full stop (a subject is a title, even one
    made of a notification's sentence). An ellipsis stays."""
    line = " ".join(subject.split())
    if line.endswith(".") and not line.endswith(".."):
        line = line[:-1].rstrip()
    return line


def build_message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A French-ready multipart message (text, and HTML when given)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject_line(subject)
    message["Message-ID"] = make_msgid(domain="terreau.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage) -> None:
    """Deliver `message` with the configured backend."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "console":
        # Development: show the mail, decoded, in the terminal that runs the server.
        text = message.get_body(preferencelist=("plain",))
        body = text.get_content() if text is not None else ""
        print(
            f"--- mail to {message['To']}: {message['Subject']}\n{body}---",
            file=sys.stderr,
            flush=True,
        )
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> None:
    send(build_message(to, subject, text, html))


# --- sending in the background ----------------------------------------------------------

_OUTGOING: queue.Queue[tuple[Flask, EmailMessage | None]] = queue.Queue()
_WORKER: dict[str, threading.Thread] = {}
_WORKER_GUARD = threading.Lock()
_DRAIN_SECONDS: list[float] = []  # set once a mail is queued: how long an exit waits for them


_HELD: ContextVar[bool] = ContextVar("terreau_mail_held", default=False)


@contextmanager
def held() -> Iterator[None]:
    """While inside, `send_after_commit` queues nothing: the demo's seeding, whose people are
    made up (their rencontres' places and notifications would otherwise mail them)."""
    token = _HELD.set(True)
    try:
        yield
    finally:
        _HELD.reset(token)


def send_after_commit(message: EmailMessage | None) -> None:
    """THE way a change mails someone: `message` leaves once the current transaction commits
    (dropped if it rolls back), from the mail worker (`send_in_background`) — no request
    waits for the mail server, however many mails its change sends. None is a mail that is
    not sent, handed over all the same (so that timing tells nothing)."""
    if _HELD.get():
        return
    on_commit(lambda: send_in_background(message))


def send_in_background(message: EmailMessage | None) -> None:
    """Hand `message` to the mail worker thread and return at once (None: nothing to send).

    The request never waits for the mail server, and costs the same whether or not it had a
    mail to send. A failed send is logged, not raised. `MAIL_IN_BACKGROUND=false` (the
    tests) sends in the caller's thread instead. A command-line task waits for the queue
    before it returns (`cli.init_cli`); a server's queue is drained as its process exits
    (`MAIL_DRAIN_SECONDS` at most).
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("MAIL_IN_BACKGROUND", True):
        if message is not None:
            _send_logged(app, message)
        return
    _OUTGOING.put((app, message))
    _DRAIN_SECONDS[:] = [float(app.config.get("MAIL_DRAIN_SECONDS", 10))]
    with _WORKER_GUARD:
        worker = _WORKER.get("worker")
        if worker is None or not worker.is_alive():
            worker = _WORKER["worker"] = threading.Thread(
                target=_work, name="terreau-mail", daemon=True
            )
            worker.start()


def wait_for_background_mail(timeout: float | None = None) -> bool:
    """Wait until every queued mail has been handled (`timeout` seconds at most): whether
    none is left."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with _OUTGOING.all_tasks_done:
        while _OUTGOING.unfinished_tasks:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            _OUTGOING.all_tasks_done.wait(left)
    return True


@atexit.register
def _drain_at_exit() -> None:
    """A server stopping sends what its requests queued, for a while (a worker restarted by
    its supervisor would otherwise lose them)."""
    if _DRAIN_SECONDS and not wait_for_background_mail(_DRAIN_SECONDS[-1]):
        print("terreau: mails still queued at exit were not sent", file=sys.stderr)


def _work() -> None:
    while True:
        app, message = _OUTGOING.get()
        try:
            if message is not None:
                with app.app_context():
                    _send_logged(app, message)
        finally:
            _OUTGOING.task_done()


def _send_logged(app: Flask, message: EmailMessage) -> None:
    # Any failure is logged, not only a mail server's: raised in the worker, it ended the
    # thread, and the mails queued after it waited for the next one to start it again (a
    # command-line task waiting for its mails never returned).
    try:
        send(message)
    except Exception:
        app.logger.exception("could not send mail to %s", message["To"])
