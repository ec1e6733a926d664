"""The suppression engine: no published number lets a count below the threshold be recovered."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.core.suppression import (
    TOTAL_FREE,
    TOTAL_HIDDEN,
    TOTAL_PUBLISHED,
    suppress,
    suppress_family,
    suppress_line,
)
from tests.observatory.attack import grid_with_margins, line_recovered, recovered_below

# Small counts are the interesting ones: weigh them heavily.
count = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 14))


def tables(max_rows: int = 3, max_cols: int = 3):  # type: ignore[no-untyped-def]
    return st.integers(1, max_rows).flatmap(
        lambda r: st.integers(1, max_cols).flatmap(
            lambda c: st.lists(st.lists(count, min_size=c, max_size=c), min_size=r, max_size=r)
        )
    )


def check_table(cells: list[list[int]], min_cell: int) -> None:
    published = suppress(cells, min_cell)
    truth = grid_with_margins(cells)
    shown = [[*row, t] for row, t in zip(published.cells, published.row_totals, strict=True)]
    shown.append([*published.column_totals, published.total])
    for i, row in enumerate(truth):
        for j, value in enumerate(row):
            if 0 < value < min_cell:
                assert shown[i][j] is None, "a small count is shown"
            if value == 0:
                assert shown[i][j] == 0, "zeros are shown"
            if shown[i][j] is not None:
                assert shown[i][j] == value
    assert recovered_below([published], [cells], min_cell, [1]) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables(), min_cell=st.sampled_from([2, 3, 5]))
def test_no_hidden_count_can_be_recovered(cells: list[list[int]], min_cell: int) -> None:
    check_table(cells, min_cell)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables(4, 4))
def test_no_hidden_count_can_be_recovered_in_larger_tables(cells: list[list[int]]) -> None:
    check_table(cells, 5)


@pytest.mark.parametrize(
    "cells",
    [
        [[3, 10], [10, 10]],  # one small cell: its row and column need a partner
        [[1, 1], [1, 1]],  # all ones: the whole pattern is forced, totals must go too
        [[3, 0, 0], [0, 0, 9]],  # the partner cannot be a zero
        [[2, 7, 8], [6, 9, 12], [11, 5, 1]],
        [[4]],
        [[0, 0], [0, 0]],
    ],
)
def test_known_tricky_tables(cells: list[list[int]]) -> None:
    check_table(cells, 5)


def test_a_lone_small_cell_is_hidden_with_partners() -> None:
    published = suppress([[3, 10, 12], [10, 10, 9], [7, 8, 6]], 5)
    assert published.cells[0][0] is None
    assert sum(v is None for v in published.cells[0] + [published.row_totals[0]]) >= 2
    assert (
        sum(v is None for v in [row[0] for row in published.cells] + [published.column_totals[0]])
        >= 2
    )
    # Most of the table is still shown.
    assert published.cells[2][2] == 6 and published.total == 75


def family(max_rows: int = 2, max_cols: int = 3):  # type: ignore[no-untyped-def]
    """(requests, matches, unanswered) with matches + unanswered ≤ requests cell by cell."""

    def split(base: list[list[int]]):  # type: ignore[no-untyped-def]
        cells = [v for row in base for v in row]
        return st.tuples(*[st.integers(0, v) for v in cells]).flatmap(
            lambda ms: st.tuples(
                *[st.integers(0, v - m) for v, m in zip(cells, ms, strict=True)]
            ).map(lambda us: (base, reshape(ms, base), reshape(us, base)))
        )

    return tables(max_rows, max_cols).flatmap(split)


def reshape(flat, like):  # type: ignore[no-untyped-def]
    width = len(like[0])
    return [list(flat[i : i + width]) for i in range(0, len(flat), width)]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=family(2, 2))
def test_linked_tables_leak_nothing_through_their_inequality(data) -> None:  # type: ignore[no-untyped-def]
    requests, matches, unanswered = data
    published = suppress_family([requests, matches, unanswered], 5)
    # One pattern for the three tables.
    patterns = [[[v is None for v in row] for row in p.cells] for p in published]
    assert patterns[0] == patterns[1] == patterns[2]
    assert recovered_below(published, [requests, matches, unanswered], 5, [1, 0, 0]) == []


def test_the_attacker_finds_what_a_naive_suppression_leaks() -> None:
    """The check can fail: hiding only the small cells of [[1, 1], [1, 1]] leaks all four."""
    from community.core.suppression import Published

    naive = Published([[None, None], [None, None]], [2, 2], [2, 2], 4)
    assert len(recovered_below([naive], [[[1, 1], [1, 1]]], 5, [1])) == 4
    # Two hidden cells in each row and column, totals shown: still determined (bridges).
    cells = [[3, 9, 9], [9, 3, 9], [9, 9, 9]]
    chain = Published([[None, None, 9], [None, None, 9], [9, 9, 9]], [21, 21, 27], [21, 21, 27], 69)
    assert recovered_below([chain], [cells], 5, [1]) == []  # a 4-cycle with room: safe
    tight = Published([[None, None], [None, None]], [None, None], [None, None], None)
    assert recovered_below([tight], [[[1, 1], [1, 1]]], 5, [1]) == []


def test_family_refuses_parts_larger_than_the_base() -> None:
    with pytest.raises(ValueError):
        suppress_family([[[1]], [[2]]], 5)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(count, min_size=1, max_size=8),
    mode=st.sampled_from([TOTAL_FREE, TOTAL_PUBLISHED, TOTAL_HIDDEN]),
)
def test_a_series_leaks_nothing(values: list[int], mode: str) -> None:
    may_hide_zeros = mode != TOTAL_FREE
    shown, total = suppress_line(values, 5, mode, may_hide_zeros=may_hide_zeros)
    for value, published in zip(values, shown, strict=True):
        if 0 < value < 5:
            assert published is None
        if published is not None:
            assert published == value
    if mode == TOTAL_PUBLISHED:
        assert total == sum(values)
        visible_total = sum(values)
    elif mode == TOTAL_HIDDEN:
        assert total is None
        visible_total = None
        # With the total hidden, it must not be the plain sum of what is shown.
        if sum(values) > 0:
            assert any(v is None for v in shown)
    else:
        visible_total = total
        if total is not None:
            assert total >= 5 or total == 0
    low = 0 if may_hide_zeros else 1
    if len(values) > 1:
        assert line_recovered(values, shown, visible_total, low, 5) == []


def test_line_without_zero_hiding_needs_a_free_total() -> None:
    with pytest.raises(ValueError):
        suppress_line([1, 2], 5, TOTAL_PUBLISHED)
