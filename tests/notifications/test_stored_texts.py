"""No notification keeps a copy of content (issue "trust": excerpts of content are rendered only
through the visibility layer). Every kind is walked through the real flows that send it, with a
marked secret in every text (`test_push_privacy.walk_every_flow`): a stored notification says
who did what and where — what was said stays on the page its link opens, where a moderator's
hiding still holds. Only the words of the act addressed to the member herself may be quoted
(why her message was hidden, why her request was refused, why a rencontre was cancelled)."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.extensions import db
from community.notifications.models import Notification
from tests.notifications.test_push_privacy import (  # noqa: F401  fixtures
    SECRET,
    _request,
    pushed,
    walk_every_flow,
)

# The words of an act told to the member it concerns: a moderator's reason, a warning, a
# dismissal, the gardeners' refusal, an organiser's reason for cancelling.
ADDRESSED = {"reason", "warning", "dismissal", "refusal", "cancellation"}
QUOTED = re.compile(rf"(\w[\w -]*?) {SECRET} \1")


def test_no_notification_stores_a_copy_of_content(pushed) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    walk_every_flow()
    rows = list(db.session.execute(select(Notification)).scalars())
    quoted = {(row.kind, label) for row in rows for label in QUOTED.findall(row.text)}
    copies = sorted((kind, label) for kind, label in quoted if label not in ADDRESSED)
    assert not copies, f"notifications store content's text: {copies}"
    assert {"reply", "mention", "initiative_status"} <= {row.kind for row in rows}
