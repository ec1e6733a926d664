"""An initiative the moderators hide takes its title out of every stored notification (its new
statuses, the replies and mentions in its discussion, the gardeners' "overdue" notices): the
list, the API, the e-mail digest and the pushes never show it again to anyone. Hidden, it
tells only those who still read it; restored, the notices stay neutral."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from community.core.models import utcnow
from community.extensions import db
from community.initiatives import backing, lifecycle
from community.initiatives import services as initiatives
from community.notifications.cli import send_digests
from community.notifications.models import Notification
from community.notifications.triggers import notify_overdue
from community.threads import services as threads
from community.threads.models import Thread
from tests.conftest import page_text
from tests.factories import make_community, make_member
from tests.initiatives.factories import make_initiative
from tests.notifications.test_push_privacy import phone_for, pushed  # noqa: F401  fixture

TITLE = "Ruches du Clos Fleuri"


@pytest.fixture(autouse=True)
def _request(app):  # type: ignore[no-untyped-def]
    with app.test_request_context():  # services speak French
        yield


def _texts(member: Any = None) -> list[str]:
    stmt = select(Notification.text).order_by(Notification.id)
    if member is not None:
        stmt = stmt.where(Notification.member_id == member.id)
    return list(db.session.execute(stmt).scalars())


@pytest.fixture
def story():  # type: ignore[no-untyped-def]
    """An initiative late for its answer, answered, supported, talked about, then hidden."""
    technician, gardener = make_member("staff"), make_member()
    author, supporter = make_member(), make_member(display_name="Sophie")
    replier = make_member(display_name="Karim")
    community = make_community(technician=technician, citizen=gardener)
    initiative = make_initiative(
        author, community=community, title=TITLE, awaiting_since=utcnow() - timedelta(days=45)
    )
    backing.support(supporter, initiative)
    assert notify_overdue() == 2
    lifecycle.change_status(gardener, initiative, "under_review", "Nous regardons.")
    thread = db.session.get(Thread, initiative.thread_id)
    asked = threads.post_message(supporter, thread, "Quand commence-t-on ?", "s1").message
    threads.post_message(replier, thread, "Bientôt, @Sophie !", "k1", reply_to=asked.id)
    assert sum(TITLE in text for text in _texts()) >= 5  # overdue ×2, status ×2, reply
    return technician, gardener, author, supporter, initiative


def test_hiding_takes_the_title_out_of_every_notification(story, client, api_token, outbox):  # type: ignore[no-untyped-def]
    technician, _gardener, author, supporter, initiative = story
    initiatives.hide_initiative(technician, initiative, "Hors charte")
    db.session.commit()
    texts = _texts()
    assert not [text for text in texts if TITLE in text], texts
    neutral = "Cet avis parlait d'une initiative que les modérateurs ont cachée depuis."
    assert neutral in _texts(supporter) and neutral in _texts(author)
    # At every door that shows them.
    client.login_as(supporter)
    listed = client.get("/notifications")
    assert listed.status_code == 200 and TITLE not in page_text(listed)
    api = client.get("/api/v1/me/notifications", headers=api_token(supporter))
    assert api.status_code == 200 and api.json and TITLE not in api.get_data(as_text=True)
    assert send_digests()[0] >= 1
    digest = outbox.to(supporter.email)
    assert digest and all(TITLE not in outbox.text_of(mail) for mail in digest)


def test_hidden_it_tells_only_those_who_read_it(story):  # type: ignore[no-untyped-def]
    technician, gardener, author, supporter, initiative = story
    initiatives.hide_initiative(technician, initiative, "Hors charte")
    before = len(_texts(supporter))
    lifecycle.change_status(gardener, initiative, "accepted", "D'accord.")
    assert len(_texts(supporter)) == before  # she may not read it: not told, not named
    assert TITLE in _texts(author)[-1]  # its author reads it
    initiatives.restore_initiative(technician, initiative, "Erreur")
    assert not [text for text in _texts(supporter) if TITLE in text]  # stays neutral
    lifecycle.change_status(gardener, initiative, "in_progress", "C'est parti.")
    assert TITLE in _texts(supporter)[-1]  # shown again: told again


def test_no_push_names_it_once_hidden(story, pushed):  # type: ignore[no-untyped-def]  # noqa: F811
    technician, gardener, author, supporter, initiative = story
    phone_for(author, supporter)
    initiatives.hide_initiative(technician, initiative, "Hors charte")
    lifecycle.change_status(gardener, initiative, "accepted", "D'accord.")
    db.session.commit()
    assert [kind for kind, _data in pushed] == ["initiative_status"]  # its author's phone only
    assert all(TITLE not in data for _kind, data in pushed)
