"""The check-in QR code: it opens the gardeners' attendee page with the code filled in."""

from __future__ import annotations

import io

import segno
from markupsafe import Markup

from community.core.origins import public_url
from community.events import codes


def checkin_url(event_id: int, registration_id: int) -> str:
    code = codes.checkin_code(event_id, registration_id)
    base = public_url()
    return f"{base}/events/{event_id}/attendees?code={code}"


def svg(event_id: int, registration_id: int, title: str) -> Markup:
    """An inline SVG (no XML declaration), sized by CSS."""
    out = io.BytesIO()
    segno.make(checkin_url(event_id, registration_id), error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False, omitsize=True, title=title,
        svgclass="qr-code", lineclass=None,
    )  # fmt: skip
    return Markup(out.getvalue().decode())  # noqa: S704 - generated here, no user text but the escaped title


def png(event_id: int, registration_id: int) -> bytes:
    """A PNG for e-mails (mail programs rarely show SVG)."""
    out = io.BytesIO()
    segno.make(checkin_url(event_id, registration_id), error="m").save(
        out, kind="png", scale=6, border=2
    )
    return out.getvalue()
