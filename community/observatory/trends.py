"""Monthly series over the period, suppressed like the tables, drawn as accessible SVG."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import func, select

from community.core.suppression import (
    TOTAL_FREE,
    TOTAL_HIDDEN,
    TOTAL_PUBLISHED,
    suppress_line,
)
from community.extensions import db
from community.members.models import Member
from community.observatory.measures import Period, add_months
from community.observatory.releases import frozen
from community.observatory.services import Summary, month_label
from community.solidarity.models import HelpOffer, HelpRequest, SolidaritySignal


@dataclass(frozen=True)
class TrendMeasure:
    key: str
    label: Any
    column: Callable[[], Any]
    where: Callable[[], Any] | None = None
    # The measure of the tables whose grand total equals this series' total, if any.
    table_key: str | None = None


TRENDS: tuple[TrendMeasure, ...] = (
    TrendMeasure(
        "new_members",
        _l("New members"),
        lambda: Member.created_at,
        lambda: Member.email_confirmed_at.is_not(None),
    ),
    TrendMeasure(
        "help_offers", _l("Help offers"), lambda: HelpOffer.created_at, table_key="help_offers"
    ),
    TrendMeasure(
        "help_requests",
        _l("Help requests"),
        lambda: HelpRequest.created_at,
        table_key="help_requests",
    ),
    TrendMeasure(
        "solidarity_signals",
        _l("Solidarity signals"),
        lambda: SolidaritySignal.created_at,
        table_key="solidarity_signals",
    ),
)


@dataclass
class Series:
    key: str
    label: Any
    months: list[str]
    values: list[int | None]
    total: int | None


def month_of(column: Any) -> Any:
    """The UTC month of a timestamp as 'YYYY-MM', in the database's own dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def months_of(period: Period) -> list[str]:
    months, cursor = [], period.start
    while cursor < period.end:
        months.append(month_label(cursor))
        cursor = add_months(cursor, 1)
    return months


def _query(trend: TrendMeasure, period: Period) -> Any:
    column = trend.column()
    month = month_of(column)
    stmt = select(month, func.count()).where(column >= period.start, column < period.end)
    if trend.where is not None:
        stmt = stmt.where(trend.where())
    return stmt.group_by(month)


def trends(summary: Summary) -> list[Series]:
    """One suppressed monthly series per trend measure (one grouped query each)."""
    months = months_of(summary.period)
    stored = frozen(
        summary.release,
        "trends",
        lambda: {
            trend.key: {
                str(m): int(c) for m, c in db.session.execute(_query(trend, summary.period)).all()
            }
            for trend in TRENDS
        },
    )
    result = []
    for trend in TRENDS:
        found = stored.get(trend.key, {})
        raw = [found.get(m, 0) for m in months]
        if trend.table_key is None:
            values, total = suppress_line(raw, summary.min_cell, TOTAL_FREE)
        else:
            # The same total is in the tables: keep it as shown (or hidden) there.
            shown = summary.table(trend.table_key).published.total is not None
            mode = TOTAL_PUBLISHED if shown else TOTAL_HIDDEN
            values, total = suppress_line(raw, summary.min_cell, mode, may_hide_zeros=True)
        result.append(Series(trend.key, trend.label, months, values, total))
    return result


def bar_chart(series: Series, title: str, description: str, hidden_label: str) -> Markup:
    """A server-side SVG bar chart with `role="img"`, a title and a description."""
    width, height, top, bottom, left = 320, 160, 16, 28, 8
    values = [v or 0 for v in series.values]
    peak = max([*values, 1])
    n = max(len(values), 1)
    step = (width - 2 * left) / n
    bar = max(step * 0.7, 2)
    slug = series.key.replace("_", "-")
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-{slug}-title chart-{slug}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{slug}-title">{escape(title)}</title>',
        f'<desc id="chart-{slug}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" '
        f'y2="{height - bottom}" class="axis"/>',
    ]
    usable = height - top - bottom
    for index, (month, value) in enumerate(zip(series.months, series.values, strict=True)):
        x = left + index * step + (step - bar) / 2
        if value is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{height - bottom - 6}" width="{bar:.1f}" '
                'height="6" class="bar-hidden"/>'
            )
            label = ""  # the hatched bar says it; the table below and the legend name it
        else:
            h = usable * value / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" class="bar"/>'
            )
            label = str(value)
        # A value is written above its bar only when it fits in the bar's slot (about 5.5
        # units per character at this size): labels never run into each other.
        if label and len(label) * 5.5 <= step - 2:
            top_of_bar = height - bottom - (usable * (value or 0) / peak) - 3
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top_of_bar:.1f}" '
                f'class="bar-value" text-anchor="middle">{escape(label)}</text>'
            )
        if n <= 12 or index % max(1, n // 6) == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 10}" class="bar-month" '
                f'text-anchor="middle">{escape(month[5:])}</text>'
            )
    parts.append("</svg>")
    # Every piece of text above went through escape(); the rest is our own markup.
    return Markup("".join(parts))  # noqa: S704
