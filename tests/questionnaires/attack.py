"""The observatory's attacker (tests/observatory/attack.py), given everything one
questionnaire publishes at once: its respondents per neighbourhood (a series with its total)
and every table that shares those row totals, read through every neighbourhood filter.

Tables are joined by equations: each table's row total is that neighbourhood's number of
respondents. The solver then looks, for each hidden count, for another set of tables
consistent with everything shown in which that count differs.
"""

from __future__ import annotations

from functools import cached_property

from tests.observatory.attack import Attacker, Var

Grid = list[list[int | None]]


class QuestionnaireAttacker(Attacker):
    """Grid 0 is the series: one column, rows = neighbourhoods, then the total. Grids 1… are
    tables (rows = neighbourhoods then totals, columns = options then the row total)."""

    def __init__(self, shown: list[Grid], truth: list[list[list[int]]], lows: list[int]) -> None:
        self.shown, self.truth, self.lows = shown, truth, lows
        self.cap = max(v for grid in truth for row in grid for v in row) + 1
        self.vars: list[Var] = [
            (k, i, j)
            for k, grid in enumerate(shown)
            for i, row in enumerate(grid)
            for j, v in enumerate(row)
            if v is None
        ]
        self.equations: list[list[tuple[int, Var]]] = []
        n = len(shown[0]) - 1  # neighbourhood rows
        self.equations.append([(1, (0, i, 0)) for i in range(n)] + [(-1, (0, n, 0))])
        for k in range(1, len(shown)):
            rows, cols = len(shown[k]), len(shown[k][0])
            last_i, last_j = rows - 1, cols - 1
            for i in range(rows):
                self.equations.append(
                    [(1, (k, i, j)) for j in range(last_j)] + [(-1, (k, i, last_j))]
                )
                # Each table's row total is the number of respondents of that row.
                self.equations.append([(1, (k, i, last_j)), (-1, (0, i, 0))])
            for j in range(cols):
                self.equations.append(
                    [(1, (k, i, j)) for i in range(last_i)] + [(-1, (k, last_i, j))]
                )

    @cached_property
    def _system(self) -> tuple[list[list[float]], list[float], list[float]]:
        index = {var: n for n, var in enumerate(self.vars)}
        rows: list[list[float]] = []
        lows: list[float] = []
        highs: list[float] = []
        for equation in self.equations:
            row = [0.0] * len(self.vars)
            constant = 0
            for coef, (k, i, j) in equation:
                value = self.shown[k][i][j]
                if value is None:
                    row[index[(k, i, j)]] += coef
                else:
                    constant += coef * value
            if any(row):
                rows.append(row)
                lows.append(-constant)
                highs.append(-constant)
        return rows, lows, highs


def recovered(
    shown: list[Grid], truth: list[list[list[int]]], lows: list[int], min_cell: int
) -> list[Var]:
    attacker = QuestionnaireAttacker(shown, truth, lows)
    return [
        var
        for var in attacker.vars
        if 0 < truth[var[0]][var[1]][var[2]] < min_cell and attacker.recovers(var)
    ]
