"""Reports over JSON: `POST /reports`, the moderators' queue and their answers."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import Blueprint

from community.core.errors import NotFound
from community.core.handlers import transaction
from community.core.pagination import SelectPage
from community.core.permissions import require
from community.core.rest import authenticated_member
from community.core.standing import kept_while_suspended
from community.extensions import db
from community.moderation import queries, services
from community.moderation.models import Report
from community.moderation.permissions import can_resolve, can_see_queue
from community.moderation.schemas import (
    ModeratorReportSchema,
    ReportCreateSchema,
    ReportQuerySchema,
    ReportSchema,
    ResolveSchema,
)
from community.moderation.targets import write_turn

blp = Blueprint(
    "moderation-api", __name__, url_prefix="/api/v1", description="Reports and moderation"
)


@blp.post("/reports")
@kept_while_suspended("telling the moderators of harm (a report decides nothing by itself)")
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportSchema)
def create_report(data: dict[str, Any]) -> Report:
    """Report a message, an initiative or a member (one open report per target)."""
    member = authenticated_member()
    report = services.report(
        member, data["target_type"], data["target_id"], data["reason"], data["text"]
    )
    return report


@blp.get("/moderation/reports")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ModeratorReportSchema(many=True))
@blp.paginate(SelectPage)
def list_reports(args: dict[str, Any]) -> Any:
    """The reports one may answer: staff all, gardeners their communities'."""
    member = authenticated_member()
    require(can_see_queue(member), member)
    return queries.queue(member, args["status"])


@blp.post("/moderation/reports/<int:report_id>/resolve")
@blp.arguments(ResolveSchema)
@blp.response(200, ModeratorReportSchema)
def resolve_report(data: dict[str, Any], report_id: int) -> Report:
    """Answer a report: `action`, `reason` (sent to the member concerned), `until`, `scope`."""
    member = authenticated_member()
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound(_("This report does not exist."))
    require(can_resolve(member, report), member)
    # Committed inside the target's write turn (a thread's: before its broadcast leaves).
    with write_turn(report.target_type, report.target_id), transaction():
        services.resolve(
            member, report, data["action"], data["reason"], data["until"], data["scope"]
        )
    return report
