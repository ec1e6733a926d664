"""Every link in a mail built outside a request (the CLI's `send-digests` and
`send-reminders`) starts with PUBLIC_URL — and, with no PUBLIC_URL in development, with the
address the server listens on: `http://localhost` (the host of a made-up request) was put
in the digests and reminders that cron sent. Checked on what the suite's real SMTP server
received."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from community.core.models import utcnow
from community.extensions import db
from community.notifications import services
from tests.events.factories import make_event, make_registration
from tests.factories import make_community, make_member

ROOT = Path(__file__).resolve().parents[2]


def _mail_everyone() -> list[str]:
    """News for a digest, a member and a guest registered for tomorrow: their addresses."""
    reader = make_member(email="lecteur@example.org")
    services.notify(reader, "reply", "Une réponse", "/threads/4#m-2")
    community = make_community()
    event = make_event(community, starts_at=utcnow() + timedelta(hours=20))
    member = make_member(email="inscrite@example.org")
    make_registration(event, member)
    make_registration(event, None, guest_name="Camille", guest_email="camille@example.org")
    db.session.commit()
    return [reader.email, member.email, "camille@example.org"]


def _links(outbox, message) -> list[str]:  # type: ignore[no-untyped-def]
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    hrefs = re.findall(r'href="([^"]+)"', html.get_content())
    unsubscribe = re.findall(r"<([^>]+)>", message.get("List-Unsubscribe") or "")
    return outbox.links_in(message) + hrefs + unsubscribe


@pytest.mark.parametrize(
    "public,expected",
    [
        ("https://terreau.ville-exemple.fr", "https://terreau.ville-exemple.fr/"),
        ("https://ville-exemple.fr/terreau/", "https://ville-exemple.fr/terreau/"),
        ("", "http://127.0.0.1:5123/"),  # development without PUBLIC_URL: where it listens
    ],
)
def test_the_commands_mail_links_to_public_url(app, outbox, monkeypatch, public, expected):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "PUBLIC_URL", public)
    monkeypatch.setitem(app.config, "PORT", 5123)
    addresses = _mail_everyone()
    runner = app.test_cli_runner()
    for command in ("send-reminders", "send-digests"):  # the reminder in a digest too
        result = runner.invoke(args=[command])
        assert result.exit_code == 0, result.output
    assert sorted(m["To"] for m in outbox.messages) == sorted(addresses)
    for message in outbox.messages:
        links = _links(outbox, message)
        assert links, message["To"]
        assert all(link.startswith(expected) for link in links), links
        assert not any("localhost" in link for link in links)
    assert any("/threads/4#m-2" in link for m in outbox.messages for link in _links(outbox, m))
    assert any(
        "/events/guests/cancel/" in link for m in outbox.messages for link in _links(outbox, m)
    )


def test_only_one_helper_makes_a_request_outside_a_request() -> None:
    """A made-up request (`test_request_context`) outside `core/urls.py` would give `url_for`
    and `public_url()` the host `localhost` again."""
    makers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "community").rglob("*.py")
        if "test_request_context" in path.read_text()
    ]
    assert makers == ["community/core/urls.py"]
