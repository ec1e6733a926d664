"""The moderation domain reacts to its own facts: a suspended member's sockets close. It tells
core's seams who may only read (`core.standing.standing_check`): a platform suspension."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from community.communities.gardening import gardeners_of
from community.communities.permissions import gardens_any
from community.core.notify import notify, register_kind
from community.core.permissions import is_staff
from community.core.signals import on_commit
from community.core.sockets import disconnect_member
from community.core.standing import standing_check
from community.core.todo import TodoItem, collecting
from community.core.urls import site_path
from community.extensions import db
from community.members.models import Member
from community.moderation import queries
from community.moderation.models import Report
from community.moderation.permissions import can_resolve, can_see_queue
from community.moderation.signals import member_suspended, report_filed, report_resolved
from community.moderation.standing import read_only_refusal
from community.moderation.targets import kind_of


@member_suspended.connect
def close_sockets(member: Member, **_facts: Any) -> None:
    """Once the suspension commits, the member's sockets close in every process: they leave
    the rooms they were in, and on reconnecting may read but not post."""
    member_id = member.id
    on_commit(lambda: disconnect_member(member_id))


# Every write at every door asks it (`core/handlers.py`, `core/sockets.py`).
standing_check(read_only_refusal)

# Only a community's gardeners are told of its new reports (staff: the inbox badge).
register_kind("report", _l("A new report to answer in my communities"), audience=gardens_any)
register_kind("report_outcome", _l("What became of my reports"))


def report_due(report: Report) -> Any:
    """When a report should be answered by (`REPORT_ANSWER_HOURS` after it was filed)."""
    return report.created_at + timedelta(hours=current_app.config["REPORT_ANSWER_HOURS"])


def _noun(report: Report) -> Any:
    kind = kind_of(report.target_type)
    if report.target_type == "message":
        return _l("a message")
    if report.target_type == "initiative":
        return _l("an initiative")
    return _l("a member") if kind is not None else _l("some content")


@report_filed.connect
def _tell_gardeners(report: Report, **_kwargs: Any) -> None:
    url = site_path("moderation.detail", report_id=report.id)
    if report.community_id is None:
        return  # staff's reports: the inbox badge tells them (no list of every staff member)
    gardeners = db.session.execute(gardeners_of(report.community_id)).scalars()
    assert report.community is not None
    text = _l(
        "New report in %(community)s about %(what)s: please look at it.",
        community=report.community.name,
        what=_noun(report),
    )
    for gardener in gardeners:
        # Only those who may answer it: not the author of what is reported (nor a suspended
        # gardener), who would open a report she is refused.
        if can_resolve(gardener, report):
            notify(gardener, "report", text, url, actor=report.reporter)


@report_resolved.connect
def _tell_reporter(report: Report, *, actor: Member, **_kwargs: Any) -> None:
    if report.reporter is None or report.appeal:
        return  # an erased reporter; a contest is answered through the content itself
    if report.resolution == "dismiss":
        text = _l(
            "Your report was read: the moderators found nothing against the charter. Thank you."
        )
    elif report.resolution == "hide":
        text = _l("Your report was read: the content is now hidden. Thank you.")
    elif report.resolution in {"warn", "suspend"}:
        text = _l("Your report was read: the moderators acted with the member. Thank you.")
    else:
        text = _l("Your report was read and answered. Thank you.")
    notify(report.reporter, "report_outcome", text, "/charte", actor=actor)


@collecting.connect
def _open_reports(member: Member, **_kwargs: Any) -> list[TodoItem]:
    if not can_see_queue(member):
        return []
    reports = db.session.execute(queries.queue(member, "open").limit(100)).scalars()
    items = []
    for report in reports:
        if report.appeal and not is_staff(member):
            continue
        items.append(
            TodoItem(
                kind="report",
                label=_l("Contest by the author")
                if report.appeal
                else lazy_pgettext("inbox", "Report"),
                title=str(_l("A report about %(what)s", what=_noun(report))),
                url=site_path("moderation.detail", report_id=report.id),
                since=report.created_at,
                due_at=report_due(report),
                community=report.community.name if report.community else "",
            )
        )
    return items
