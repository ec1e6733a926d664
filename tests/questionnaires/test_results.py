"""Results: counts, shares and averages, suppressed so that no small count can be recovered
from one questionnaire's results across its neighbourhood filters and totals."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.questionnaires.models import CHANNELS
from community.questionnaires.results import QuestionShape, Respondent, publish
from tests.observatory.attack import grid_with_margins, published_grid
from tests.questionnaires.attack import recovered

SINGLE = QuestionShape(1, "single", ((11, "oui"), (12, "non"), (13, "sans avis")))

MULTIPLE = QuestionShape(2, "multiple", ((21, "lundi"), (22, "samedi")))
SCALE = QuestionShape(3, "scale", tuple((None, str(v)) for v in range(1, 6)))
SHAPES = (SINGLE, MULTIPLE, SCALE)


def respondent(
    row: Any, channel: str, single: int | None, days: set[int], scale: int | None
) -> Respondent:
    r = Respondent(row, channel)
    if single is not None:
        r.chosen[1] = {single}
    if days:
        r.chosen[2] = set(days)
    if scale is not None:
        r.values[3] = scale
    return r


respondents = st.lists(
    st.builds(
        respondent,
        st.sampled_from([1, 2, None]),
        st.sampled_from(CHANNELS),
        st.sampled_from([None, 11, 12, 13]),
        st.sets(st.sampled_from([21, 22])),
        st.sampled_from([None, 1, 2, 3, 4, 5]),
    ),
    max_size=24,
)


def test_counts_shares_and_averages_when_nothing_is_small() -> None:
    people = [respondent(1, "web", 11, {21}, 5) for _ in range(6)] + [
        respondent(2, "paper", 12, {21, 22}, 3) for _ in range(6)
    ]
    publication = publish(SHAPES, people, [1, 2, None], 5)
    everyone = publication.view()
    assert everyone["total"] == 12 and everyone["min_cell"] == 5
    assert everyone["channels"] == {"web": 6, "paper": 6, "ambassador": 0}
    single, multiple, scale = everyone["questions"]
    assert [(o["option_id"], o["count"], o["share"]) for o in single["options"]] == [
        (11, 6, 0.5),
        (12, 6, 0.5),
        (13, 0, 0.0),
    ]
    assert [(o["count"], o["share"]) for o in multiple["options"]] == [(12, 1.0), (6, 0.5)]
    assert scale["average"] == 4.0 and [o["value"] for o in scale["options"]] == [1, 2, 3, 4, 5]
    one = publication.view(2, filtered=True)
    assert one["total"] == 6 and one["channels"]["paper"] == 6
    assert one["questions"][2]["average"] == 3.0
    assert [(o["count"], o["share"]) for o in one["questions"][1]["options"]] == [
        (6, 1.0),
        (6, 1.0),
    ]


def test_a_small_neighbourhood_is_hidden_whole() -> None:
    people = (
        [respondent(1, "web", 11, set(), 4) for _ in range(8)]
        + [respondent(2, "ambassador", 12, set(), 1) for _ in range(2)]
        + [respondent(3, "web", 12, set(), 2) for _ in range(7)]
    )
    publication = publish(SHAPES, people, [1, 2, 3, None], 5)
    small = publication.view(2, filtered=True)
    assert small["total"] is None
    assert set(small["channels"].values()) == {None}
    assert all(o["count"] is None for x in small["questions"] for o in x["options"])
    assert all(x["average"] is None for x in small["questions"])
    # The two in-person answers cannot be read off the totals either.
    assert publication.view()["channels"]["ambassador"] is None


def _grids(
    publication: Any, people: list[Respondent], rows: list[Any]
) -> tuple[list[Any], list[Any]]:
    """Everything the engine lets out, as the attacker's grids, and the truth beside it.

    The attacker gets every table whole, as published by the engine — more than the API
    shows (the row "not given", the "no answer" and "not chosen" columns) — so it is stronger
    than any reader; that every filter's view reads only from these tables is checked below.
    """
    index = {row: k for k, row in enumerate(rows)}
    per_row = [0] * len(rows)
    for r in people:
        per_row[index[r.row]] += 1
    shown: list[Any] = [[[v] for v in publication.respondents] + [[publication.total]]]
    truth: list[Any] = [[[v] for v in per_row] + [[sum(per_row)]]]

    def table(published: Any, columns: int, column_of: Any) -> None:
        cells = [[0] * columns for _ in rows]
        for r in people:
            for j in column_of(r):
                cells[index[r.row]][j] += 1
        truth.append(grid_with_margins(cells))
        shown.append(published_grid(published))

    table(publication.channels, 3, lambda r: [CHANNELS.index(r.channel)])
    by_id = {shape.id: tables for shape, tables in publication.questions}
    table(
        by_id[1][0],
        len(SINGLE.options) + 1,
        lambda r: (
            [[o for o, _l in SINGLE.options].index(next(iter(r.chosen[1])))]
            if 1 in r.chosen
            else [len(SINGLE.options)]
        ),
    )
    for k, (option, _label) in enumerate(MULTIPLE.options):
        table(by_id[2][k], 2, lambda r, o=option: [0] if o in r.chosen.get(2, set()) else [1])
    table(by_id[3][0], 6, lambda r: [r.values[3] - 1] if 3 in r.values else [5])
    return shown, truth


def _views_read_the_tables(publication: Any, rows: list[Any]) -> None:
    everyone = publication.view()
    assert list(everyone["channels"].values()) == publication.channels.column_totals
    for k, row in enumerate(rows[:-1]):
        view = publication.view(row, filtered=True)
        assert view["total"] == publication.respondents[k]
        assert list(view["channels"].values()) == publication.channels.cells[k]
        for (shape, tables), question in zip(publication.questions, view["questions"], strict=True):
            counts = [o["count"] for o in question["options"]]
            if shape.kind == "multiple":
                assert counts == [t.cells[k][0] for t in tables]
            else:
                assert counts == tables[0].cells[k][: len(counts)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=respondents, min_cell=st.sampled_from([3, 5]))
def test_no_small_count_can_be_recovered_across_filters_and_totals(
    people: list[Respondent], min_cell: int
) -> None:
    rows = [1, 2, None]
    publication = publish(SHAPES, people, rows, min_cell)
    shown, truth = _grids(publication, people, rows)
    _views_read_the_tables(publication, rows)
    # Whatever is shown is true; every small count is hidden.
    for grid, real in zip(shown, truth, strict=True):
        for seen_row, real_row in zip(grid, real, strict=True):
            for seen, value in zip(seen_row, real_row, strict=True):
                if seen is not None:
                    assert seen == value
                    assert not 0 < value < min_cell, "a small count is shown"
    # A hidden number of respondents is at least one (the series shows its zeros); a hidden
    # count of a table may be zero (the tables may hide zeros).
    lows = [1] + [0] * (len(shown) - 1)
    assert recovered(shown, truth, lows, min_cell) == []


def test_the_attacker_catches_a_naive_publication() -> None:
    """The check can fail: hiding only the small cells lets them be worked out."""
    people = [respondent(1, "web", 11, set(), None) for _ in range(6)] + [
        respondent(1, "paper", 12, set(), None) for _ in range(2)
    ]
    rows = [1, None]
    shown = [[[8], [0], [8]]]
    truth = [[[8], [0], [8]]]
    cells = [[6, 2, 0], [0, 0, 0]]
    truth.append(grid_with_margins(cells))
    shown.append([[6, None, 0, 8], [0, 0, 0, 0], [6, None, 0, 8]])
    assert len(recovered(shown, truth, [1, 0], 5)) == 2
    del people, rows


@pytest.mark.parametrize("min_cell", [1, 2])
def test_tiny_thresholds_still_publish(min_cell: int) -> None:
    people = [respondent(1, "web", 11, {21}, 5)]
    publication = publish(SHAPES, people, [1, None], min_cell)
    assert publication.view()["total"] == (1 if min_cell == 1 else None)
