"""Statistical disclosure control: which published counts must be hidden.

Pure functions, no database. A table of counts (rows × columns) is published with its row
totals, column totals and grand total. Every count from 1 to `min_cell` − 1 is hidden
("< 5": primary suppression); zeros are shown. Then enough other entries are hidden
(secondary suppression) that no hidden count below the threshold can be worked out exactly
from what is published — from one row or column, or from any combination of totals.

How we know it cannot be worked out. Write the table with its margins as an
(R+1) × (C+1) grid, the last row and column holding the totals. Flip the sign of the
margins (not of the grand total): every row and column of the grid then sums to zero. The
hidden entries are the edges of a bipartite graph (grid row ↔ grid column); another table
consistent with everything published differs from the true one by a circulation on those
edges. An attacker knows the published numbers and that hidden entries are ≥ 1 (zeros are
shown, so a hidden count is not zero). A hidden entry can take another value exactly when it
lies on a directed cycle of the *residual* graph: along a cycle each entry moves by one, up
or down, and an entry may move down only if it stays ≥ 1. `_undetermined` checks that
cycle; if any entry is determined, more entries are hidden, and the loop runs until stable.
Hiding every non-zero entry is always safe (any solution can be doubled), so the loop ends.

Linked tables ("families"): matches and unanswered requests are disjoint parts of the
requests of the same cell, so `matches + unanswered ≤ requests` cell by cell; they share one
pattern of hidden entries, and each is audited with perturbations that keep the inequality.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Entry = tuple[int, int]  # (grid row, grid column); row R / column C hold the totals


@dataclass(frozen=True)
class Published:
    """A table as it may be shown: hidden numbers are None."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    @property
    def hidden_count(self) -> int:
        return sum(v is None for row in self.cells for v in row) + sum(
            v is None for v in (*self.row_totals, *self.column_totals, self.total)
        )


def grid_of(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The (R+1) × (C+1) grid of a table: cells, row totals, column totals, grand total."""
    rows = [list(row) for row in cells]
    width = len(rows[0]) if rows else 0
    for row in rows:
        if len(row) != width:
            raise ValueError("every row needs the same number of cells")
        if any(v < 0 for v in row):
            raise ValueError("counts are never negative")
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(row[j] for row in rows) for j in range(width)] + [sum(map(sum, rows))])
    return grid


def _lines(n_rows: int, n_cols: int) -> list[list[Entry]]:
    """Every row and every column of the grid: each sums to zero once margins are negated."""
    return [[(i, j) for j in range(n_cols)] for i in range(n_rows)] + [
        [(i, j) for i in range(n_rows)] for j in range(n_cols)
    ]


def _undetermined(
    entry: Entry,
    hidden: set[Entry],
    shape: tuple[int, int],
    can_down: Callable[[Entry], bool],
) -> bool:
    """True if `entry` lies on a directed cycle of the residual graph of hidden entries."""
    n_rows, n_cols = shape
    last_row, last_col = n_rows - 1, n_cols - 1

    def sign(e: Entry) -> int:
        i, j = e
        margin = (i == last_row) != (j == last_col)
        return -1 if margin else 1

    # Nodes: ("r", i) and ("c", j). y = sign · x. "y up" is an arc r→c, "y down" an arc c→r.
    arcs: dict[tuple[str, int], list[tuple[tuple[str, int], Entry]]] = {}
    for e in hidden:
        i, j = e
        x_up_ok, x_down_ok = True, can_down(e)
        y_up_ok, y_down_ok = (x_up_ok, x_down_ok) if sign(e) > 0 else (x_down_ok, x_up_ok)
        if y_up_ok:
            arcs.setdefault(("r", i), []).append((("c", j), e))
        if y_down_ok:
            arcs.setdefault(("c", j), []).append((("r", i), e))

    def reaches(start: tuple[str, int], goal: tuple[str, int]) -> bool:
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            for target, via in arcs.get(node, ()):
                if via != entry and target not in seen:
                    seen.add(target)
                    stack.append(target)
        return False

    i, j = entry
    y_up_ok = True if sign(entry) > 0 else can_down(entry)
    y_down_ok = can_down(entry) if sign(entry) > 0 else True
    return (y_up_ok and reaches(("c", j), ("r", i))) or (y_down_ok and reaches(("r", i), ("c", j)))


def protect_family(
    grids: Sequence[Sequence[Sequence[int]]], min_cell: int
) -> tuple[set[Entry], bool]:
    """The hidden entries shared by a family of grids; `grids[0]` bounds the sum of the others.

    Returns (hidden entries, fell back to hiding every non-zero entry).
    """
    if min_cell < 1:
        raise ValueError("min_cell is at least 1")
    base = grids[0]
    parts = grids[1:]
    n_rows, n_cols = len(base), len(base[0])
    shape = (n_rows, n_cols)
    entries = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    value = {e: base[e[0]][e[1]] for e in entries}
    sensitive = [
        (k, e) for k, grid in enumerate(grids) for e in entries if 0 < grid[e[0]][e[1]] < min_cell
    ]
    hidden = {e for _k, e in sensitive}
    lines = _lines(n_rows, n_cols)

    def slack(e: Entry) -> int:
        return value[e] - sum(p[e[0]][e[1]] for p in parts)

    def part_down(k: int) -> Callable[[Entry], bool]:
        # Move the base and part k together: the inequality keeps its slack.
        return lambda e: value[e] >= 2 and grids[k][e[0]][e[1]] >= 1

    def safe(k: int, e: Entry) -> bool:
        if k == 0:
            tries = [lambda f: value[f] >= 2 and slack(f) >= 1] + [
                part_down(p) for p in range(1, len(grids))
            ]
        else:
            tries = [part_down(k)]
        return any(_undetermined(e, hidden, shape, check) for check in tries)

    def candidates(line: list[Entry]) -> list[Entry]:
        # Entries that could be hidden next: never a zero of the base table.
        free = [e for e in line if e not in hidden and value[e] >= 1]
        return sorted(free, key=lambda e: (value[e] < 2, value[e], e))

    limit = 2 * len(entries) + 2
    for _round in range(limit):
        changed = False
        for line in lines:
            if sum(e in hidden for e in line) == 1:
                options = candidates(line)
                if options:
                    hidden.add(options[0])
                    changed = True
        if changed:
            continue
        failing = [(k, e) for k, e in sensitive if not safe(k, e)]
        if not failing:
            return hidden, False
        _k, (i, j) = failing[0]
        added = False
        for line in (lines[i], lines[n_rows + j]):
            options = [e for e in candidates(line) if value[e] >= 2] or candidates(line)
            if options:
                hidden.add(options[0])
                added = True
        if not added:
            break
    # Hiding every non-zero entry is always safe: any consistent table can be doubled.
    return {e for e in entries if value[e] >= 1}, True


def suppress(cells: Sequence[Sequence[int]], min_cell: int) -> Published:
    """Publish one table of counts with its totals, hiding what must be hidden."""
    return suppress_family([cells], min_cell)[0]


def suppress_family(tables: Sequence[Sequence[Sequence[int]]], min_cell: int) -> list[Published]:
    """Publish linked tables (the first bounds the sum of the others) with one hidden pattern."""
    if not tables:
        return []
    if not tables[0] or not tables[0][0]:
        return [Published([[] for _ in t], [0 for _ in t], [], 0) for t in tables]
    grids = [grid_of(t) for t in tables]
    for grid in grids[1:]:
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v > grids[0][i][j]:
                    raise ValueError("a part of a family exceeds its base")
    if len(grids) > 2:
        for i, row in enumerate(grids[0]):
            for j, v in enumerate(row):
                if sum(g[i][j] for g in grids[1:]) > v:
                    raise ValueError("the parts of a family exceed their base")
    hidden, _fallback = protect_family(grids, min_cell)
    return [_publish(grid, hidden) for grid in grids]


def _publish(grid: list[list[int]], hidden: set[Entry]) -> Published:
    n_rows, n_cols = len(grid), len(grid[0])
    shown = [
        [None if (i, j) in hidden else grid[i][j] for j in range(n_cols)] for i in range(n_rows)
    ]
    return Published(
        cells=[row[:-1] for row in shown[:-1]],
        row_totals=[row[-1] for row in shown[:-1]],
        column_totals=shown[-1][:-1],
        total=shown[-1][-1],
    )


# --- one line: a series and its total (trends, lists) -------------------------------------

TOTAL_PUBLISHED = "published"  # the total is shown (here or elsewhere): it may not be hidden
TOTAL_HIDDEN = "hidden"  # the total is hidden elsewhere: it stays hidden here
TOTAL_FREE = "free"  # the total is shown here, unless it must be hidden


def suppress_line(
    values: Sequence[int], min_cell: int, total: str = TOTAL_FREE, *, may_hide_zeros: bool = False
) -> tuple[list[int | None], int | None]:
    """Publish a series with its total; no hidden value below `min_cell` can be worked out.

    With `may_hide_zeros`, zeros may be hidden too (secondary), so an attacker cannot assume
    a hidden value is at least one.
    """
    if total not in (TOTAL_PUBLISHED, TOTAL_HIDDEN, TOTAL_FREE):
        raise ValueError(f"unknown total mode {total!r}")
    if total == TOTAL_PUBLISHED and not may_hide_zeros:
        # [1, 1, 1, 1, 1] with its total 5 shown: every value is 1 unless zeros may hide too.
        raise ValueError("a total shown elsewhere needs may_hide_zeros")
    items = list(values)
    if any(v < 0 for v in items):
        raise ValueError("counts are never negative")
    grand = sum(items)
    low = 0 if may_hide_zeros else 1
    hidden = {i for i, v in enumerate(items) if 0 < v < min_cell}
    total_hidden = total == TOTAL_HIDDEN or (total == TOTAL_FREE and 0 < grand < min_cell)

    def candidates() -> list[int]:
        free = [i for i, v in enumerate(items) if i not in hidden and (v >= 1 or may_hide_zeros)]
        return sorted(free, key=lambda i: (items[i] < low + 1, items[i], i))

    while True:
        if total_hidden:
            # The total moves with any hidden value: one hidden value is enough.
            if grand > 0 and not hidden:
                options = candidates()
                if options:
                    hidden.add(options[0])
            break
        # Total shown: a hidden value can move only against another hidden value.
        ok = all(
            any(b != a and (items[b] >= low + 1 or items[a] >= low + 1) for b in hidden)
            for a in hidden
            if 0 < items[a] < min_cell
        )
        if ok:
            break
        options = candidates()
        if options:
            hidden.add(options[0])
            continue
        if total == TOTAL_FREE:
            total_hidden = True
            continue
        # The total is shown elsewhere and nothing else can be hidden: hide every value.
        hidden = {i for i, v in enumerate(items) if v >= 1 or may_hide_zeros}
        break
    shown = [None if i in hidden else v for i, v in enumerate(items)]
    return shown, None if total_hidden else grand


# --- tables whose row totals are published elsewhere (questionnaires) ---------------------


def suppress_given_rows(
    cells: Sequence[Sequence[int]],
    min_cell: int,
    hidden_rows: frozenset[int] | set[int] = frozenset(),
    *,
    total_shown: bool = True,
) -> Published:
    """Publish a table whose row totals and grand total are already published (by a
    `suppress_line` over them): shown row totals are known to everyone, the rows in
    `hidden_rows` are hidden whole, and no count below `min_cell` can be worked out, even by
    someone who combines several such tables sharing those row totals.

    Several tables share their rows (each respondent is counted once per table). Each is made
    safe while its shown row totals are taken as known, so the tables are independent given
    those totals. The rows whose total is hidden are hidden whole, in every table, and act as
    one merged row (its total known when the grand total is shown); what ties them across
    tables is their hidden totals, which `suppress_line` leaves room to move: one respondent
    moving between two hidden rows changes every table consistently. Zeros may be hidden (a
    reader cannot assume a hidden count is at least one), which lets a row of small counts
    hide behind its column totals even when its total is shown. The questionnaires' property
    test attacks all the tables of one questionnaire at once.
    """
    if min_cell < 1:
        raise ValueError("min_cell is at least 1")
    rows = [list(row) for row in cells]
    if not rows or not rows[0]:
        return Published([[] for _ in rows], [0 for _ in rows], [], 0)
    width = len(rows[0])
    open_rows = [i for i in range(len(rows)) if i not in hidden_rows]
    closed = [i for i in range(len(rows)) if i in hidden_rows]
    merged = [rows[i] for i in open_rows]
    if closed:
        merged.append([sum(rows[i][j] for i in closed) for j in range(width)])
    grid = grid_of(merged)
    n_rows, n_cols = len(grid), width + 1
    last_row, last_col = n_rows - 1, width
    entries = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    value = {e: grid[e[0]][e[1]] for e in entries}
    known = {(i, last_col) for i in range(len(open_rows))}
    hidden: set[Entry] = set()
    if closed:
        hidden |= {(len(open_rows), j) for j in range(width)}
    if total_shown:
        known.add((last_row, last_col))
        if closed:
            known.add((len(open_rows), last_col))  # the grand total less the shown rows
    else:
        hidden.add((last_row, last_col))
        if closed:
            hidden.add((len(open_rows), last_col))
    inner_open = [(i, j) for i in range(len(open_rows)) for j in range(width)]
    column_totals = [(last_row, j) for j in range(width)]
    sensitive = [e for e in (*inner_open, *column_totals) if 0 < value[e] < min_cell]
    hidden |= set(sensitive)
    lines = _lines(n_rows, n_cols)

    def can_down(e: Entry) -> bool:
        return value[e] >= 1  # a hidden count may be zero

    def candidates(line: list[Entry]) -> list[Entry]:
        free = [e for e in line if e not in hidden and e not in known]
        return sorted(free, key=lambda e: (value[e] < 1, value[e], e))

    shape = (n_rows, n_cols)
    for _round in range(2 * len(entries) + 2):
        changed = False
        for line in lines:
            if sum(e in hidden for e in line) == 1:
                options = candidates(line)
                if options:
                    hidden.add(options[0])
                    changed = True
        if changed:
            continue
        failing = [e for e in sensitive if not _undetermined(e, hidden, shape, can_down)]
        if not failing:
            break
        i, j = failing[0]
        added = False
        for line in (lines[i], lines[n_rows + j]):
            options = candidates(line)
            if options:
                hidden.add(options[0])
                added = True
        if not added:
            hidden = {e for e in entries if e not in known}
            break
    else:
        hidden = {e for e in entries if e not in known}
    shown = [
        [None if (i, j) in hidden else grid[i][j] for j in range(n_cols)] for i in range(n_rows)
    ]
    out_cells: list[list[int | None]] = []
    out_totals: list[int | None] = []
    position = {row: k for k, row in enumerate(open_rows)}
    for i in range(len(rows)):
        if i in position:
            out_cells.append(shown[position[i]][:-1])
            out_totals.append(shown[position[i]][-1])
        else:
            out_cells.append([None] * width)
            out_totals.append(None)
    return Published(
        cells=out_cells,
        row_totals=out_totals,
        column_totals=shown[-1][:-1],
        total=shown[-1][-1],
    )
