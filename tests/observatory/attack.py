"""An attacker, written independently of the suppression engine.

Given what is published (numbers, and None where hidden), it asks an integer-programming
solver (SciPy's HiGHS) whether another table consistent with everything shown gives a hidden
count a different value. If none exists, that count is recovered. Hidden counts are ≥ 1 when
zeros are always shown, ≥ 0 otherwise; each is capped one above the true maximum, which only
makes the attacker stronger (a differing table, if one exists, exists within that cap: any
other table differs from the true one by circulations that move each count by one).

An exact solver, not a search: a depth-first search over values was exponential on some
tables Hypothesis finds, and a property test must not depend on luck to finish.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

Var = tuple[int, int, int]  # (table, grid row, grid column)


def grid_with_margins(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    grid = [[*row, sum(row)] for row in cells]
    width = len(cells[0])
    grid.append([sum(row[j] for row in cells) for j in range(width)] + [sum(map(sum, cells))])
    return grid


def published_grid(published) -> list[list[int | None]]:  # type: ignore[no-untyped-def]
    rows = [[*row, total] for row, total in zip(published.cells, published.row_totals, strict=True)]
    rows.append([*published.column_totals, published.total])
    return rows


class Attacker:
    """Knows the published grids of linked tables (table 0 ≥ sum of the others) and bounds."""

    def __init__(
        self,
        shown: list[list[list[int | None]]],
        truth: list[list[list[int]]],
        lows: list[int],
    ) -> None:
        self.shown, self.truth, self.lows = shown, truth, lows
        self.n_rows, self.n_cols = len(shown[0]), len(shown[0][0])
        self.cap = max(v for grid in truth for row in grid for v in row) + 1
        self.vars: list[Var] = [
            (k, i, j)
            for k, grid in enumerate(shown)
            for i, row in enumerate(grid)
            for j, v in enumerate(row)
            if v is None
        ]
        # Each grid line: sum of inner entries == its margin entry.
        self.equations: list[list[tuple[int, Var]]] = []
        last_i, last_j = self.n_rows - 1, self.n_cols - 1
        for k in range(len(shown)):
            for i in range(self.n_rows):
                self.equations.append(
                    [(1, (k, i, j)) for j in range(last_j)] + [(-1, (k, i, last_j))]
                )
            for j in range(self.n_cols):
                self.equations.append(
                    [(1, (k, i, j)) for i in range(last_i)] + [(-1, (k, last_i, j))]
                )

    @cached_property
    def _system(self) -> tuple[list[list[float]], list[float], list[float]]:
        """The published facts as linear constraints on the hidden counts: rows, lows, highs."""
        index = {var: n for n, var in enumerate(self.vars)}
        rows: list[list[float]] = []
        lows: list[float] = []
        highs: list[float] = []

        def add(terms: list[tuple[int, Var]], low: float, high: float) -> None:
            row = [0.0] * len(self.vars)
            constant = 0
            for coef, (k, i, j) in terms:
                shown = self.shown[k][i][j]
                if shown is None:
                    row[index[(k, i, j)]] += coef
                else:
                    constant += coef * shown
            if any(row):
                rows.append(row)
                lows.append(low - constant)
                highs.append(high - constant)

        for equation in self.equations:  # each grid line sums to its margin
            add(equation, 0, 0)
        for i in range(self.n_rows):  # linked tables: table 0 ≥ the sum of the others
            for j in range(self.n_cols):
                if len(self.shown) > 1:
                    terms = [(1, (0, i, j))] + [(-1, (k, i, j)) for k in range(1, len(self.shown))]
                    add(terms, 0, float("inf"))
        return rows, lows, highs

    def _feasible(self, fixed: Var, value: int) -> bool:
        """Is there a table consistent with what is shown in which `fixed` equals `value`?"""
        from scipy.optimize import Bounds, LinearConstraint, milp

        rows, lows, highs = self._system
        lower = [float(self.lows[k]) for k, _, _ in self.vars]
        upper = [float(self.cap)] * len(self.vars)
        n = self.vars.index(fixed)
        lower[n] = upper[n] = float(value)
        constraints = [LinearConstraint(rows, lows, highs)] if rows else []
        result = milp(
            c=[0.0] * len(self.vars),
            constraints=constraints,
            integrality=[1] * len(self.vars),
            bounds=Bounds(lower, upper),
        )
        if result.status not in (0, 2):  # 0: a solution, 2: none; anything else is a failure
            raise RuntimeError(f"the solver gave up: {result.message}")
        return bool(result.status == 0)

    def recovers(self, var: Var) -> bool:
        """True if every table consistent with what is shown gives `var` its true value."""
        k, i, j = var
        true = self.truth[k][i][j]
        return not any(
            self._feasible(var, other)
            for other in (true - 1, true + 1)
            if self.lows[k] <= other <= self.cap
        )


def recovered_below(published_tables, tables, min_cell, lows) -> list[Var]:  # type: ignore[no-untyped-def]
    """Hidden counts below the threshold that the attacker works out exactly."""
    truth = [grid_with_margins(t) for t in tables]
    shown = [published_grid(p) for p in published_tables]
    attacker = Attacker(shown, truth, lows)
    return [
        var
        for var in attacker.vars
        if 0 < truth[var[0]][var[1]][var[2]] < min_cell and attacker.recovers(var)
    ]


def line_recovered(
    values: Sequence[int], shown: Sequence[int | None], total: int | None, low: int, min_cell: int
) -> list[int]:
    """For one series: hidden values below the threshold that are determined."""
    hidden = [i for i, v in enumerate(shown) if v is None]
    if total is None:
        # Without the total the hidden values are tied by nothing.
        return []
    rest = total - sum(v for v in shown if v is not None)
    out = []
    for a in hidden:
        if not 0 < values[a] < min_cell:
            continue
        others = [b for b in hidden if b != a]
        # a can take another value iff the others can absorb ±1 within their bounds.
        possible = set()
        for candidate in (values[a] - 1, values[a] + 1):
            if candidate < low:
                continue
            remaining = rest - candidate
            if others and remaining >= low * len(others):
                possible.add(candidate)
        if not possible:
            out.append(a)
    return out
