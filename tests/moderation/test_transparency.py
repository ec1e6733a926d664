"""The transparency page publishes no small count (attacker walk: `/transparency` showed
exact counts of 1 and 2 per community and month; in a small members-only community a "1
suspension" points to a person). Each month's tables go through the observatory's
suppression (`core.suppression`), below `OBSERVATORY_MIN_CELL`."""

from __future__ import annotations

import re

from community.core.models import utcnow
from community.core.suppression import Published
from community.moderation import services
from community.moderation.models import REASONS
from community.moderation.transparency import published_months
from tests.conftest import page_text
from tests.moderation.factories import make_report
from tests.observatory.attack import recovered_below


def _cells(html: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", html)


def test_small_counts_are_hidden_on_the_page(world, client) -> None:  # type: ignore[no-untyped-def]
    make_report(world.author, community=world.a, reason="insult")
    make_report(world.author, community=world.a, reason="insult")
    services.record_action(
        world.gardener_a, "suspend_community", "member", world.author.id, community=world.a,
        subject=world.author, reason="Insultes",
    )  # fmt: skip
    html = page_text(client.get("/transparency"))
    assert world.a.name in html and "trop peu" in html and "moins de 5" in html
    shown = [cell for cell in _cells(html) if "trop peu" not in cell]
    assert shown and all(cell == "0" for cell in shown)  # only zeros are shown as numbers


def test_counts_from_the_threshold_up_are_shown(world) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        make_report(world.author, community=world.a, reason="insult")
        make_report(world.author, community=world.b, reason="spam")
    [month] = published_months(now=utcnow(), min_cell=5)
    assert month.reports is not None and month.reports.total == 12
    cells = {row.community: row.cells for row in month.reports.rows}
    assert cells[world.a.name][REASONS.index("insult")] == 6
    assert cells[world.b.name][REASONS.index("spam")] == 6


def test_no_hidden_count_can_be_worked_out_from_the_totals(world) -> None:  # type: ignore[no-untyped-def]
    plan = {(world.a, "insult"): 7, (world.a, "spam"): 2, (world.b, "insult"): 5,
            (world.b, "spam"): 1, (None, "harassment"): 6}  # fmt: skip
    for (community, reason), count in plan.items():
        for _ in range(count):
            make_report(world.author, community=community, reason=reason)
    [month] = published_months(now=utcnow(), min_cell=5)
    table = month.reports
    assert table is not None
    truth = [
        [plan.get((community, reason), 0) for reason in REASONS]
        for community in (world.a, world.b, None)
    ]
    assert [row.community for row in table.rows] == [world.a.name, world.b.name, None]
    published = Published(
        [row.cells for row in table.rows],
        [row.total for row in table.rows],
        table.column_totals,
        table.total,
    )
    assert all(value is None or not 0 < value < 5 for row in published.cells for value in row)
    assert recovered_below([published], [truth], 5, [1]) == []
