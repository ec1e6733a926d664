"""Public counts of reports and moderation acts, per month, category and community (no names).

A small count can point to a person in a small community ("1 suspension in Compost des
Tilleuls in March"): the page publishes each month's two tables through the observatory's
statistical disclosure control (`core.suppression.suppress`, below `OBSERVATORY_MIN_CELL`):
every count from 1 to the threshold − 1 is hidden, and enough others with it that none can
be worked out from the row and column totals, which are published too. Zeros are shown.
`monthly_counts` is the raw material; only `published_months` leaves for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from community.communities.models import Community
from community.core.models import utcnow
from community.core.suppression import suppress
from community.extensions import db
from community.moderation.models import REASONS, ModerationAction, Report

# The acts shown publicly, in this order (a lifted suspension is not a sanction).
PUBLIC_ACTIONS = (
    "dismiss", "hide", "restore", "warn", "suspend_community", "suspend_platform", "lock",
)  # fmt: skip


@dataclass
class Row:
    community: str | None  # None: outside any community (reports about members, platform acts)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Month:
    month: str  # "2026-11"
    reports: list[Row] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)

    @property
    def start(self) -> datetime:
        return datetime.strptime(self.month + "-01", "%Y-%m-%d")


def _month_of(column: Any) -> Any:
    """The "YYYY-MM" of a timestamp column, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def monthly_counts(months: int = 12, now: datetime | None = None) -> list[Month]:
    """Counts for the last `months` months, newest first; two queries whatever the volume."""
    since = (now or utcnow()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months - 1):
        since = (since - timedelta(days=1)).replace(day=1)
    report_month = _month_of(Report.created_at)
    report_rows = db.session.execute(
        select(report_month, Community.name, Report.reason, func.count(Report.id))
        .outerjoin(Community, Community.id == Report.community_id)
        .where(Report.created_at >= since)
        .group_by(report_month, Community.name, Report.reason)
    ).all()
    action_month = _month_of(ModerationAction.created_at)
    action_rows = db.session.execute(
        select(
            action_month, Community.name, ModerationAction.action, func.count(ModerationAction.id)
        )
        .outerjoin(Community, Community.id == ModerationAction.community_id)
        .where(ModerationAction.created_at >= since, ModerationAction.action.in_(PUBLIC_ACTIONS))
        .group_by(action_month, Community.name, ModerationAction.action)
    ).all()
    by_month: dict[str, Month] = {}

    def add(target: str, month: str, community: str | None, key: str, count: int) -> None:
        entry = by_month.setdefault(month, Month(month))
        rows: list[Row] = getattr(entry, target)
        row = next((r for r in rows if r.community == community), None)
        if row is None:
            row = Row(community)
            rows.append(row)
        row.counts[key] = row.counts.get(key, 0) + int(count)

    for month, community, reason, count in report_rows:
        add("reports", month, community, reason, count)
    for month, community, action, count in action_rows:
        add("actions", month, community, action, count)
    result = sorted(by_month.values(), key=lambda m: m.month, reverse=True)
    for entry in result:
        for rows in (entry.reports, entry.actions):
            rows.sort(key=lambda r: (r.community is None, r.community or ""))
    return result


@dataclass
class PublishedRow:
    community: str | None
    cells: list[int | None]  # None: hidden
    total: int | None


@dataclass
class PublishedTable:
    """One month's table as the public sees it: hidden counts are None."""

    columns: tuple[str, ...]
    rows: list[PublishedRow]
    column_totals: list[int | None]
    total: int | None


@dataclass
class PublishedMonth:
    month: str
    reports: PublishedTable | None
    actions: PublishedTable | None

    @property
    def start(self) -> datetime:
        return Month(self.month).start


def publish_table(rows: list[Row], columns: tuple[str, ...], min_cell: int) -> PublishedTable:
    """`rows` with their totals, no count below `min_cell` shown or derivable."""
    published = suppress([[row.counts.get(c, 0) for c in columns] for row in rows], min_cell)
    return PublishedTable(
        columns=columns,
        rows=[
            PublishedRow(row.community, cells, total)
            for row, cells, total in zip(rows, published.cells, published.row_totals, strict=True)
        ],
        column_totals=published.column_totals,
        total=published.total,
    )


def published_months(
    months: int = 12, now: datetime | None = None, min_cell: int | None = None
) -> list[PublishedMonth]:
    """What the transparency page shows: `monthly_counts`, each table suppressed."""
    threshold = min_cell or int(current_app.config["OBSERVATORY_MIN_CELL"])
    return [
        PublishedMonth(
            month.month,
            publish_table(month.reports, REASONS, threshold) if month.reports else None,
            publish_table(month.actions, PUBLIC_ACTIONS, threshold) if month.actions else None,
        )
        for month in monthly_counts(months, now)
    ]


__all__ = [
    "PUBLIC_ACTIONS",
    "REASONS",
    "Month",
    "PublishedMonth",
    "PublishedTable",
    "Row",
    "monthly_counts",
    "published_months",
]
