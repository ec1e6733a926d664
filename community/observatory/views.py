"""`/observatory`: the staff's page of aggregates (tables, trends, network, under the radar)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from community.core.cache import TTLCache
from community.core.errors import Invalid
from community.core.home import home_tool
from community.core.permissions import current_member, require
from community.extensions import db
from community.observatory import services
from community.observatory.network import network
from community.observatory.permissions import can_see_observatory
from community.observatory.radar import radar
from community.observatory.releases import QUARTER, keep, parse_release, published_quarters
from community.observatory.trends import bar_chart, trends

bp = Blueprint("observatory", __name__, url_prefix="/observatory")
# Its tool, on the home page of those who may open it.
home_tool("observatory.index", _l("Observatory"), can_see_observatory)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@bp.app_template_filter("quarter_name")
def quarter_name(key: str) -> str:
    """ "2026-Q3" in words: "juillet à septembre 2026" (the key stays in links and files)."""
    match = QUARTER.match(key or "")
    if match is None:
        return key
    year, quarter = int(match.group(1)), int(match.group(2))
    return _(
        "%(first)s to %(last)s %(year)s",
        first=format_date(date(year, 3 * quarter - 2, 1), "MMMM"),
        last=format_date(date(year, 3 * quarter, 1), "MMMM"),
        year=year,
    )


@bp.app_template_filter("month_name")
def month_name(key: str) -> str:
    """ "2026-07" in words: "juillet 2026"."""
    match = MONTH.match(key or "")
    if match is None:
        return key
    return format_date(date(int(match.group(1)), int(match.group(2)), 1), "MMMM y")


# The page's figures for one quarter and locale, kept OBSERVATORY_CACHE_SECONDS (60 by default):
# a quarter's cells are frozen by the ledger at its first release anyway; what may show up to
# that late is a renamed neighbourhood or theme and the community network's shared members.
FIGURES = TTLCache("OBSERVATORY_CACHE_SECONDS")


@bp.get("")
def index() -> tuple[str, int] | str:
    member = current_member()
    require(can_see_observatory(member), member)
    error: Invalid | None = None
    try:
        key, period = parse_release(
            request.args.get("period"),
            start=request.args.get("start"),
            end=request.args.get("end"),
        )
    except Invalid as invalid:
        error = invalid
        key, period = parse_release(None)
    min_cell = current_app.config["OBSERVATORY_MIN_CELL"]
    figures = FIGURES.get((key, str(get_locale()), min_cell), lambda: _figures(key, period))
    context: dict[str, Any] = {
        **figures,
        "release": key,
        "start": services.month_label(period.start),
        "end": services.month_label(services.last_month(period)),
        "error": error,
        "selected": request.args.get("measure") or "help_requests",
    }
    keep()  # the ledger keeps what was released
    body = render_template("observatory/index.html", **context)
    return (body, 422) if error else body


def _figures(key: str, period: Any) -> dict[str, Any]:
    """What the page shows of a quarter: its tables, charts, network and radar (plain data and
    fully loaded places, safe to keep beyond the request)."""
    summary = services.release(key, period)
    series = trends(summary)
    # Every hidden number looks the same, whether below the threshold or hidden to protect
    # one: telling them apart would tell an attacker which ones are small.
    hidden = _("too few")
    charts: list[tuple[Any, Any]] = []
    for s in series:
        title = _("%(measure)s per month", measure=s.label)
        shown = [
            f"{m}: {hidden if v is None else v}" for m, v in zip(s.months, s.values, strict=True)
        ]
        description = _("Bar chart, one bar per month: %(values)s.", values="; ".join(shown))
        charts.append((s, bar_chart(s, title, description, hidden)))
    shown_network, shown_radar = network(summary.min_cell), radar(summary)
    # Kept beyond this request: the places and communities become plain snapshots, out of the
    # session (a commit would expire them, and another request could not load them again).
    counts = [
        *shown_radar.uncovered_signals,
        *shown_radar.requests_without_offers,
        *shown_radar.low_reach,
        *shown_radar.reach,
        *shown_radar.uncovered_informal,
    ]
    for instance in (
        *summary.neighbourhoods,
        *summary.themes,
        *shown_network.communities,
        *(c.neighbourhood for c in counts),
        *(c.theme for c in counts if c.theme is not None),
        *(theme for theme, _count in shown_radar.outreach_themes_without_community),
    ):
        if instance in db.session:
            db.session.expunge(instance)
    return {
        "summary": summary,
        "charts": charts,
        "network": shown_network,
        "radar": shown_radar,
        "quarters": published_quarters(),
        "hidden": hidden,
    }
