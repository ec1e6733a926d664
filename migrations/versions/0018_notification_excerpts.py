"""Notifications keep no copy of content: the excerpts that replies, mentions and new statuses
stored (a message's first words, an initiative's answer) are cut from the rows already written,
so that a message hidden since stops showing in notifications, their e-mails and exports.

A reply or a mention keeps who and where ("Amina vous a répondu dans « Le composteur »"); a new
status says that the answer is on the initiative's page. The texts were stored in the member's
language (French or English); a text that matches neither shape is replaced by a plain one.
Nothing to undo: the excerpts are not kept.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# Shortest match first: a title that held the separator loses its end, never an excerpt kept.
_THREAD = [
    re.compile(r"^(.*? vous a (?:répondu|mentionnée?) dans « .*? ») : ", re.DOTALL),
    re.compile(r"^(.*? (?:replied to you|mentioned you) in “.*?”): ", re.DOTALL),
]
_STATUS = [
    (
        re.compile(r"^(« .*? » : nouvel état, « [^»]* »)\. Réponse : ", re.DOTALL),
        ". Lisez la réponse sur sa page.",
    ),
    (
        re.compile(r"^(“.*?”: new status “[^”]*”)\. Answer: ", re.DOTALL),
        ". Read the answer on its page.",
    ),
]
_PLAIN = {
    ("reply", "fr"): "On vous a répondu dans une discussion.",
    ("reply", "en"): "Someone replied to you in a discussion.",
    ("mention", "fr"): "On a cité votre nom dans une discussion.",
    ("mention", "en"): "Someone mentioned you in a discussion.",
}
_FINISHED_STATUS = (
    re.compile(r"^« .*? » : nouvel état, « [^»]* »\.$", re.DOTALL),
    re.compile(r"^“.*?”: new status “[^”]*”\.$", re.DOTALL),
)


def without_excerpt(kind: str, text: str, locale: str) -> str:
    """`text` as a notification of `kind` says it now: who, what and where."""
    if kind in {"reply", "mention"}:
        for shape in _THREAD:
            found = shape.match(text)
            if found:
                return found.group(1)
        if any(text.endswith(end) for end in ("»", "”")):  # already without an excerpt
            return text
        return _PLAIN[(kind, "en" if locale == "en" else "fr")]
    if kind == "initiative_status":
        for shape, ending in _STATUS:
            found = shape.match(text)
            if found:
                return found.group(1) + ending
        if any(shape.match(text) for shape in _FINISHED_STATUS) or text.endswith(
            ("sur sa page.", "on its page.")
        ):
            return text
        return (
            "Lisez la réponse sur la page de l'initiative."
            if locale != "en"
            else ("Read the answer on the initiative's page.")
        )
    return text


def upgrade() -> None:
    connection = op.get_bind()
    notifications = sa.table(
        "notifications",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("text", sa.String),
        sa.column("member_id", sa.Integer),
    )
    members = sa.table("members", sa.column("id", sa.Integer), sa.column("locale", sa.String))
    rows = connection.execute(
        sa.select(notifications.c.id, notifications.c.kind, notifications.c.text, members.c.locale)
        .select_from(
            notifications.join(members, members.c.id == notifications.c.member_id, isouter=True)
        )
        .where(notifications.c.kind.in_(["reply", "mention", "initiative_status"]))
    ).all()
    for row_id, kind, text, locale in rows:
        cut = without_excerpt(kind, text, locale or "fr")
        if cut != text:
            connection.execute(
                notifications.update().where(notifications.c.id == row_id).values(text=cut)
            )


def downgrade() -> None:
    pass  # the excerpts are gone for good
