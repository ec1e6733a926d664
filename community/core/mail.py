"""Sending mail: printed to the log in development, through SMTP (`MAIL_*`) otherwise."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


def build_message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A French-ready multipart message (text, and HTML when given)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
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
