"""The rules of initiatives: propose, declare, edit, and hide or show again (moderation).

The lifecycle (status changes and their answers) is in `lifecycle.py`; supporting and lending a
hand in `backing.py`. Every function takes the acting member explicitly, validates, changes
state and flushes; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.communities.models import Community
from community.core.content import render_markdown
from community.core.errors import Conflict, Invalid
from community.core.models import utcnow
from community.core.permissions import require
from community.core.urls import site_path
from community.extensions import db
from community.initiatives import permissions
from community.initiatives.models import CLOSED_STATUSES, Initiative
from community.initiatives.signals import initiative_hidden, initiative_restored
from community.members.models import Member
from community.moderation.journal import record_action, tell_member
from community.moderation.models import Report
from community.moderation.permissions import can_moderate_in
from community.moderation.suspensions import posting_refusal
from community.moderation.targets import already_moderated
from community.territory.models import Neighbourhood, Theme
from community.threads.models import Thread

TITLE_MAX, SUMMARY_MAX, DESCRIPTION_MAX = 160, 300, 10_000
MAX_THEMES, MAX_NEEDS, NEED_MAX = 5, 15, 80


@dataclass
class InitiativeData:
    """What a member writes when proposing or editing; None means unchanged on edit."""

    title: str | None = None
    summary: str | None = None
    description: str | None = None
    theme_ids: list[int] | None = None
    neighbourhood_id: int | None = None
    community: str | None = None  # slug; "" or None: spontaneous
    needs: list[str] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _clean_text(data: InitiativeData, name: str, value: str | None, low: int, high: int) -> str:
    text = (value or "").strip()
    if name != "description":
        text = " ".join(text.split())
    if len(text) < low:
        data.fail(name, _("Required.") if low == 1 else _("At least %(n)d characters.", n=low))
    elif len(text) > high:
        data.fail(name, _("At most %(n)d characters.", n=high))
    return text


def _clean_needs(data: InitiativeData, needs: list[str]) -> list[str]:
    cleaned: list[str] = []
    for need in needs:
        need = " ".join(str(need).split())
        if need and need.casefold() not in {n.casefold() for n in cleaned}:
            cleaned.append(need)
    if len(cleaned) > MAX_NEEDS:
        data.fail("needs", _("At most %(n)d needs.", n=MAX_NEEDS))
    if any(len(n) > NEED_MAX for n in cleaned):
        data.fail("needs", _("Each need has at most %(n)d characters.", n=NEED_MAX))
    return cleaned


def _themes(data: InitiativeData, ids: list[int]) -> list[Theme]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        data.fail("theme_ids", _("Choose at least one theme."))
        return []
    if len(ids) > MAX_THEMES:
        data.fail("theme_ids", _("At most %(n)d themes.", n=MAX_THEMES))
        return []
    themes = list(
        db.session.execute(select(Theme).where(Theme.id.in_(ids), Theme.active)).scalars()
    )
    if len(themes) != len(ids):
        data.fail("theme_ids", _("Unknown theme."))
    return themes


def _neighbourhood(data: InitiativeData, neighbourhood_id: int | None) -> Neighbourhood | None:
    place = (
        db.session.get(Neighbourhood, neighbourhood_id) if neighbourhood_id is not None else None
    )
    if place is None or not place.active:
        data.fail("neighbourhood_id", _("Choose a neighbourhood from the list."))
        return None
    return place


def _community(data: InitiativeData, slug: str | None) -> Community | None:
    if not slug:
        return None
    community = db.session.execute(
        select(Community).where(Community.slug == slug)
    ).scalar_one_or_none()
    if community is None:
        data.fail("community", _("Unknown community."))
    return community


def _raise_if_invalid(data: InitiativeData) -> None:
    if data.errors:
        raise Invalid(_("Some fields are not valid."), data.errors)


def propose(author: Member, data: InitiativeData, *, informal: bool = False) -> Initiative:
    """Propose an initiative, or declare an informal one (created in progress, no approval)."""
    require(permissions.can_propose(author), author)
    title = _clean_text(data, "title", data.title, 3, TITLE_MAX)
    summary = _clean_text(data, "summary", data.summary, 1, SUMMARY_MAX)
    description = _clean_text(data, "description", data.description, 0, DESCRIPTION_MAX)
    themes = _themes(data, data.theme_ids or [])
    neighbourhood = _neighbourhood(data, data.neighbourhood_id)
    community = _community(data, data.community)
    if community is not None and not permissions.can_propose(author, community):
        data.fail("community", posting_refusal(author, community) or "")
    needs = _clean_needs(data, data.needs or [])
    _raise_if_invalid(data)
    now = utcnow()
    thread = Thread(
        kind="initiative",
        community_id=community.id if community else None,
        title=title,
        created_by_id=author.id,
    )
    db.session.add(thread)
    db.session.flush()
    initiative = Initiative(
        title=title,
        summary=summary,
        description=description,
        description_html=render_markdown(description),
        themes=themes,
        neighbourhood=neighbourhood,
        community=community,
        author=author,
        thread_id=thread.id,
        needs=needs,
        informal=informal,
        status="in_progress" if informal else "proposed",
        awaiting_since=None if informal else now,
        created_at=now,
        updated_at=now,
    )
    db.session.add(initiative)
    db.session.flush()
    return initiative


def edit(member: Member, initiative: Initiative, data: InitiativeData) -> Initiative:
    """Its author changes what it says; fields left as None stay as they are."""
    require(permissions.can_edit(member, initiative), member)
    if initiative.status in CLOSED_STATUSES:
        raise Conflict(_("A closed initiative can no longer be edited."))
    changes: dict[str, object] = {}
    if data.title is not None:
        changes["title"] = _clean_text(data, "title", data.title, 3, TITLE_MAX)
    if data.summary is not None:
        changes["summary"] = _clean_text(data, "summary", data.summary, 1, SUMMARY_MAX)
    if data.description is not None:
        changes["description"] = _clean_text(
            data, "description", data.description, 0, DESCRIPTION_MAX
        )
    if data.theme_ids is not None:
        changes["themes"] = _themes(data, data.theme_ids)
    if data.neighbourhood_id is not None:
        changes["neighbourhood"] = _neighbourhood(data, data.neighbourhood_id)
    if data.needs is not None:
        changes["needs"] = _clean_needs(data, data.needs)
    _raise_if_invalid(data)
    for name, value in changes.items():
        setattr(initiative, name, value)
    if "description" in changes:
        initiative.description_html = render_markdown(initiative.description)
    if "title" in changes and initiative.thread_id is not None:
        thread = db.session.get(Thread, initiative.thread_id)
        if thread is not None:
            thread.title = initiative.title
    initiative.updated_at = utcnow()
    db.session.flush()
    return initiative


def hide_initiative(
    moderator: Member, initiative: Initiative, reason: str, *, report: Report | None = None
) -> Initiative:
    """Hide an initiative from the lists and its page (moderation, after a report): written to
    the moderation journal about its author, who is told why."""
    require(can_moderate_in(moderator, initiative.community), moderator)
    if initiative.hidden_at is not None:
        raise already_moderated(True)
    initiative.hidden_at = utcnow()
    initiative.hidden_reason = reason
    db.session.flush()
    _moderated(moderator, initiative, "hide", reason, report)
    paths = [site_path("initiatives.show", initiative_id=initiative.id)]
    if initiative.thread_id is not None:
        paths.append(site_path("threads.show", thread_id=initiative.thread_id))
    initiative_hidden.send(initiative, actor=moderator, reason=reason, paths=paths)
    return initiative


def restore_initiative(
    moderator: Member, initiative: Initiative, reason: str, *, report: Report | None = None
) -> Initiative:
    """Show a hidden initiative again; recorded and told as `hide_initiative`."""
    require(can_moderate_in(moderator, initiative.community), moderator)
    if initiative.hidden_at is None:
        raise already_moderated(False)
    initiative.hidden_at = None
    initiative.hidden_reason = ""
    db.session.flush()
    _moderated(moderator, initiative, "restore", reason, report)
    initiative_restored.send(initiative, actor=moderator, reason=reason)
    return initiative


def _moderated(
    moderator: Member, initiative: Initiative, action: str, reason: str, report: Report | None
) -> None:
    record_action(
        moderator, action, "initiative", initiative.id, community=initiative.community,
        subject=initiative.author, reason=reason, report=report,
    )  # fmt: skip
    tell_member(
        moderator,
        initiative.author,
        action,
        reason,
        noun=_l("your initiative"),
        reason_code=report.reason if report is not None else "other",
        url=site_path("initiatives.show", initiative_id=initiative.id),
        community=report.community if report is not None else initiative.community,
        contest_target=("initiative", initiative.id),  # its author may contest a hiding
    )
