"""Report, and answer reports (dismiss, hide, restore, warn, suspend); every act is written to
the journal (`moderation/journal.py`)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.core.errors import Conflict, Forbidden, Invalid, NotFound
from community.core.models import utcnow
from community.core.permissions import require
from community.extensions import db
from community.members.models import Member
from community.moderation.journal import (  # noqa: F401  also reached through this module
    CHARTER_CLAUSES,
    charter_clause,
    record_action,
    tell_member,
)
from community.moderation.models import (
    REASONS,
    RESOLUTIONS,
    Report,
)
from community.moderation.permissions import can_contest, can_report, can_resolve
from community.moderation.signals import report_filed, report_resolved
from community.moderation.suspensions import suspend_from_community, suspend_from_platform
from community.moderation.targets import (
    Target,
    TargetType,
    kind_of,
    load_contested,
    load_reported,
    load_target,
)

MAX_REPORT_TEXT = 1000
MAX_REASON = 1000


def report(
    reporter: Member, target_type: str, target_id: int, reason: str, text: str = ""
) -> Report:
    """File a report; one open report per reporter and target (409 for a second one)."""
    errors: dict[str, list[str]] = {}
    if kind_of(target_type) is None:  # the kinds registered by domains (`reportable.py`)
        errors["target_type"] = [_("Unknown kind of content.")]
    if reason not in REASONS:
        errors["reason"] = [_("Choose a reason.")]
    text = (text or "").strip()
    if len(text) > MAX_REPORT_TEXT:
        errors["text"] = [_("At most %(max)d characters.", max=MAX_REPORT_TEXT)]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    # Only what the reporter may read: anything else is answered as a missing id.
    target = load_target(reporter, target_type, target_id)
    if target is None:
        raise NotFound(_("This content does not exist, or no longer does."))
    if not can_report(reporter, target):
        raise Forbidden(_("You cannot report your own content."))
    existing = db.session.execute(
        select(Report.id).where(
            Report.reporter_id == reporter.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == "open",
        )
    ).first()
    if existing is not None:
        raise Conflict(_("You have already reported this; the moderators will look at it."))
    new = Report(
        reporter=reporter,
        target_type=target_type,
        target_id=target_id,
        community=target.community,
        target_author=target.author,
        reason=reason,
        text=text,
        snapshot=_kind(target_type).snapshot(target.obj),
        status="open",
        created_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(new)
    except IntegrityError:  # the same report sent twice at once
        raise Conflict(
            _("You have already reported this; the moderators will look at it.")
        ) from None
    report_filed.send(new)
    return new


MIN_CONTEST = 10


def contest(member: Member, target_type: str, target_id: int, text: str) -> Report:
    """The author of hidden content contests the decision: staff answer (not the gardeners who
    hid it); restoring it answers yes. One open contest per content."""
    # Only what she may read, or her own hidden content she no longer reads (banned from its
    # community, or gone): anything else is answered as a missing id.
    target = load_contested(member, target_type, target_id)
    if target is None:
        raise NotFound(_("This content does not exist, or no longer does."))
    if not can_contest(member, target):
        raise Forbidden(_("Only its author contests the hiding of hidden content."))
    text = (text or "").strip()
    if not MIN_CONTEST <= len(text) <= MAX_REPORT_TEXT:
        raise Invalid(
            _("Some fields are not valid."),
            {
                "text": [
                    _(
                        "Between %(min)d and %(max)d characters.",
                        min=MIN_CONTEST,
                        max=MAX_REPORT_TEXT,
                    )
                ]
            },
        )
    existing = db.session.execute(
        select(Report.id).where(
            Report.reporter_id == member.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == "open",
        )
    ).first()
    if existing is not None:
        raise Conflict(_("You have already contested this; staff will answer you."))
    appeal = Report(
        reporter=member,
        target_type=target_type,
        target_id=target_id,
        community=None,  # staff answer, not the gardeners who hid it
        target_author=member,
        reason="other",
        text=text,
        appeal=True,
        status="open",
        created_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(appeal)
    except IntegrityError:
        raise Conflict(_("You have already contested this; staff will answer you.")) from None
    report_filed.send(appeal)
    return appeal


def resolve(
    actor: Member,
    report: Report,
    action: str,
    reason: str = "",
    until: datetime | None = None,
    scope: str | None = None,
) -> Report:
    """Answer a report (dismiss, hide, restore, warn, suspend); the member concerned is told why."""
    require(can_resolve(actor, report), actor)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if action not in RESOLUTIONS:
        errors["action"] = [_("Choose an action.")]
    if action in {"hide", "warn", "suspend"} and len(reason) < 3:
        errors["reason"] = [_("Say why: the member concerned will read it.")]
    if len(reason) > MAX_REASON:
        errors["reason"] = [_("At most %(max)d characters.", max=MAX_REASON)]
    if until is not None and until <= utcnow():
        errors["until"] = [_("Choose a date in the future.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    if report.status != "open":
        raise Conflict(_("This report has already been answered."))
    target = load_reported(report.target_type, report.target_id)
    if target is None and action in {"hide", "restore"}:
        raise NotFound(
            _("The reported content no longer exists; dismiss the report, or warn its author.")
        )
    # Deleted since: the snapshot is the evidence, its author still answers for it.
    subject = target.author if target is not None else report.target_author
    kind = _kind(report.target_type)

    if action in {"hide", "restore"}:
        change = kind.hide if action == "hide" else kind.restore
        if change is None or target is None:
            raise Invalid(
                _("This cannot be hidden: warn or suspend the member instead."),
                {"action": [_("Not possible here.")]},
            )
        change(actor, target.obj, reason, report)  # journaled and told by its own domain
    elif action == "suspend":
        if subject is None:
            raise Invalid(_("Nobody to suspend."), {"action": [_("Not possible here.")]})
        scope = scope or ("community" if report.community is not None else "platform")
        if scope == "platform":
            suspend_from_platform(actor, subject, until, reason, report=report, notify_member=False)
        elif scope == "community" and report.community is not None:
            suspend_from_community(
                actor, subject, report.community, until, reason, report=report, notify_member=False
            )
        else:
            raise Invalid(_("Some fields are not valid."), {"scope": [_("Not possible here.")]})

    if action not in {"suspend", "hide", "restore"}:  # those write their own entry
        record_action(
            actor,
            action,
            report.target_type,
            report.target_id,
            community=report.community,
            subject=subject,
            reason=reason,
            until=until,
            report=report,
        )
    _close(report, actor, action, reason)
    closed = [report]
    if action != "dismiss":
        for sibling in _open_reports_about(report.target_type, report.target_id):
            _close(sibling, actor, action, reason)
            closed.append(sibling)
    db.session.flush()
    for answered in closed:
        report_resolved.send(answered, actor=actor)
    if subject is not None and action in {"warn", "suspend"}:
        _tell_subject(actor, subject, report, target, action, reason, until, scope)
    return report


def _kind(target_type: str) -> TargetType:
    kind = kind_of(target_type)
    assert kind is not None, target_type  # reports are only filed for registered types
    return kind


def _close(report: Report, actor: Member, action: str, reason: str) -> None:
    report.status = "resolved"
    report.resolution = action
    report.resolution_reason = reason
    report.resolved_by_id = actor.id
    report.resolved_at = utcnow()


def _open_reports_about(target_type: str, target_id: int) -> list[Report]:
    return list(
        db.session.execute(
            select(Report).where(
                Report.target_type == target_type,
                Report.target_id == target_id,
                Report.status == "open",
            )
        ).scalars()
    )


def _tell_subject(
    actor: Member,
    subject: Member,
    report: Report,
    target: Target | None,
    action: str,
    reason: str,
    until: datetime | None,
    scope: str | None,
) -> None:
    tell_member(
        actor,
        subject,
        "suspend_platform" if action == "suspend" and scope == "platform" else action,
        reason,
        noun=_kind(report.target_type).noun,
        reason_code=report.reason,
        url=target.url if target is not None else "",
        community=report.community,
        contest_target=(report.target_type, report.target_id),
    )
