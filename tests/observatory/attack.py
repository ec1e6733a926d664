"""An attacker, written independently of the suppression engine.

Given what is published (numbers, and None where hidden), it searches by brute force —
depth-first with constraint propagation — for another table consistent with everything
shown in which a given hidden count has a different value. If none exists, that count is
recovered. Hidden counts are ≥ 1 when zeros are always shown, ≥ 0 otherwise; a solution that
differs exists within one of the true maximum (any other table differs from the true one by
circulations that move each count by one), so the search stays bounded.
"""

from __future__ import annotations

from collections.abc import Sequence

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

    def value(self, var: Var, assign: dict[Var, int]) -> int | None:
        k, i, j = var
        shown = self.shown[k][i][j]
        return shown if shown is not None else assign.get(var)

    def _propagate(self, assign: dict[Var, int]) -> bool:
        changed = True
        while changed:
            changed = False
            for equation in self.equations:
                unknown = [(c, v) for c, v in equation if self.value(v, assign) is None]
                known = sum(
                    c * self.value(v, assign)
                    for c, v in equation
                    if self.value(v, assign) is not None
                )  # type: ignore[operator]
                if not unknown:
                    if known != 0:
                        return False
                elif len(unknown) == 1:
                    coef, var = unknown[0]
                    forced = -known * coef
                    if forced < self.lows[var[0]]:
                        return False
                    assign[var] = forced
                    changed = True
        return self._inequalities_hold(assign)

    def _inequalities_hold(self, assign: dict[Var, int]) -> bool:
        if len(self.shown) < 2:
            return True
        for i in range(self.n_rows):
            for j in range(self.n_cols):
                values = [self.value((k, i, j), assign) for k in range(len(self.shown))]
                if all(v is not None for v in values) and sum(values[1:]) > values[0]:  # type: ignore[arg-type]
                    return False
        return True

    def _search(self, assign: dict[Var, int]) -> bool:
        assign = dict(assign)
        if not self._propagate(assign):
            return False
        free = [v for v in self.vars if v not in assign]
        if not free:
            return True
        var = free[0]
        k, i, j = var
        true = self.truth[k][i][j]
        options = sorted(range(self.lows[k], self.cap + 1), key=lambda v: (abs(v - true), v))
        return any(self._search({**assign, var: option}) for option in options)

    def recovers(self, var: Var) -> bool:
        """True if every table consistent with what is shown gives `var` its true value."""
        k, i, j = var
        true = self.truth[k][i][j]
        for other in (true - 1, true + 1):
            if other >= self.lows[k] and self._search({var: other}):
                return False
        return True


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
