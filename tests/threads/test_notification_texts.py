"""A hidden message's text does not stay behind in notifications (issue "threads", finding 2):
a mention or a reply says who, what and where, and the text stays on the thread page, behind
the visibility layer — at every door that shows notifications."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from community.extensions import db
from community.notifications.mails import digest_message
from community.notifications.models import Notification
from community.threads import services
from tests.factories import make_community, make_member
from tests.threads.conftest import login

SECRET = "SECRET"
PHONE = "06 12 34 56 78"


def _everywhere(client: Any, api_token: Any, lea: Any) -> str:
    login(client, lea)
    headers = api_token(lea)
    rows = list(
        db.session.execute(select(Notification).where(Notification.member_id == lea.id)).scalars()
    )
    mail = digest_message(lea, rows, "daily")
    parts = [
        json.dumps(client.get("/api/v1/me/notifications", headers=headers).get_json()),
        client.get("/notifications").get_data(as_text=True),
        json.dumps(client.get("/api/v1/me/export", headers=headers).get_json()),
        mail.as_string(),
    ]
    return "\n".join(parts)


def test_a_hidden_message_leaves_nothing_of_its_text_in_notifications(client, api_token) -> None:  # type: ignore[no-untyped-def]
    gardener = make_member()
    lea, amina = make_member(display_name="Léa"), make_member(display_name="Amina B.")
    community = make_community(citizen=gardener, members=(lea, amina))
    thread = services.create_thread(lea, community, "Le composteur")
    question = services.post_message(lea, thread, "Qui a la clé ?").message
    said = services.post_message(
        amina, thread, f"@Léa {SECRET} appelle-moi au {PHONE}", reply_to=question.id
    ).message
    services.post_message(amina, thread, f"@Léa {SECRET} encore, au {PHONE}")
    services.hide_message(gardener, said, "données personnelles")
    db.session.flush()

    seen = _everywhere(client, api_token, lea)
    assert SECRET not in seen and PHONE not in seen and "06\\u00a012" not in seen
    texts = {
        n.kind: n.text
        for n in db.session.execute(
            select(Notification).where(Notification.member_id == lea.id)
        ).scalars()
    }
    assert texts == {
        "reply": "Amina B. vous a répondu dans «\u00a0Le composteur\u00a0»",
        "mention": "Amina B. a cité votre nom dans «\u00a0Le composteur\u00a0»",
    }
