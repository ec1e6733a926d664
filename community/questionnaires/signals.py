"""What the questionnaires domain announces."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("questionnaires")

questionnaire_opened = signals.signal(
    "questionnaire_opened",
    doc="""A questionnaire was opened to answers (`POST /questionnaires/<id>/open`).

    Sender: the `Questionnaire`. Keyword arguments: `actor` (the `Member` who opened it).
    """,
)

questionnaire_closed = signals.signal(
    "questionnaire_closed",
    doc="""A questionnaire was closed (`POST /questionnaires/<id>/close`).

    Sender: the `Questionnaire`. Keyword arguments: `actor`.
    """,
)

response_recorded = signals.signal(
    "response_recorded",
    doc="""A response was stored (web, paper copy or in person).

    Sender: the `Response`. Keyword arguments: `actor` (the `Member` who answered or typed it
    in, or None for an anonymous visitor).
    """,
)

follow_up_published = signals.signal(
    "follow_up_published",
    doc="""The follow-up ("what we did with your answers") was published or updated.

    Sender: the `Questionnaire`. Keyword arguments: `actor`. The domain's receivers tell the
    members who answered on the web.
    """,
)
