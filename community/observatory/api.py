"""`/api/v1/observatory/summary` and `/cells.csv`: staff only, suppressed like the page."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from community.core.csvfile import csv_text
from community.core.permissions import require
from community.core.rest import authenticated_member
from community.observatory import services
from community.observatory.permissions import can_see_observatory
from community.observatory.releases import keep, parse_release

blp = Blueprint(
    "observatory-api",
    __name__,
    url_prefix="/api/v1",
    description="Aggregates for the authority's staff",
)


class PeriodArgs(Schema):
    period = fields.String(
        load_default=None,
        metadata={"description": "a complete calendar quarter, YYYY-Qn (default: the last one)"},
    )
    # Refused (422) since only fixed quarters are published; kept so that the answer says why.
    start = fields.String(load_default=None, metadata={"description": "refused: use period"})
    end = fields.String(load_default=None, metadata={"description": "refused: use period"})


def _summary(args: dict[str, Any]) -> services.Summary:
    member = authenticated_member()
    require(can_see_observatory(member), member)
    key, period = parse_release(args.get("period"), start=args.get("start"), end=args.get("end"))
    result = services.release(key, period)
    keep()  # the ledger keeps what was released
    return result


@blp.get("/observatory/summary")
@blp.arguments(PeriodArgs, location="query")
def get_summary(args: dict[str, Any]) -> Any:
    """Every measure by neighbourhood × theme; a hidden number is null, zeros are shown."""
    return _summary(args).as_json()


@blp.get("/observatory/cells.csv")
@blp.arguments(PeriodArgs, location="query")
def cells_csv(args: dict[str, Any]) -> Response:
    """The same numbers as the summary, as CSV; a hidden number is an empty field."""
    summary = _summary(args)
    data = summary.as_json()
    keys: list[str] = data["measures"]  # type: ignore[assignment]
    rows: list[list[object]] = [["neighbourhood", "theme", *keys]]  # a hidden number: empty
    for cell in data["cells"]:  # type: ignore[attr-defined]
        rows.append(
            [cell["neighbourhood"]["slug"], cell["theme"]["slug"], *(cell[k] for k in keys)]
        )
    for row in data["neighbourhood_totals"]:  # type: ignore[attr-defined]
        rows.append([row["neighbourhood"]["slug"], "*", *(row[k] for k in keys)])
    for row in data["theme_totals"]:  # type: ignore[attr-defined]
        rows.append(["*", row["theme"]["slug"], *(row[k] for k in keys)])
    rows.append(["*", "*", *(data["totals"][k] for k in keys)])  # type: ignore[index]
    period = data["period"]["release"]  # type: ignore[index]
    return Response(
        csv_text(rows, lineterminator="\n"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="observatoire_{period}.csv"',
            "Cache-Control": "no-store",
        },
    )
