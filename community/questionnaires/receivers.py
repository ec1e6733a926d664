"""Telling the members who answered what was done with their answers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from community.core.notify import notify, register_kind
from community.questionnaires.queries import respondent_members
from community.questionnaires.signals import follow_up_published

KIND = "questionnaire_follow_up"
register_kind(KIND, _l("What was done with my answers to a questionnaire"))


@follow_up_published.connect
def _tell_respondents(questionnaire: Any, actor: Any = None, **_kw: Any) -> None:
    for member in respondent_members(questionnaire):
        notify(
            member,
            KIND,
            _l("What we did with your answers: %(title)s", title=questionnaire.title),
            f"/questionnaires/{questionnaire.id}#follow-up",
            actor=actor,
        )
