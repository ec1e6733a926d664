"""The one way Terreau writes CSV: every cell a spreadsheet could run as a formula is defused.

A cell that starts like a formula (`=`, `+`, `-`, `@`, their full-width forms, a tab or a
line break — after any leading spaces) is written with a leading apostrophe, so that a
spreadsheet shows the text instead of running it: a question labelled
`=HYPERLINK("http://evil","x")` came out as a live link in the header of a questionnaire's
export. Numbers are written as numbers. `tests/core/test_csvfile.py` fails when a module
writes CSV any other way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def csv_cell(value: object) -> object:
    """`value` as a safe cell: None is empty, a number stays a number, text that starts like
    a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


def csv_text(rows: Iterable[Iterable[object]], *, lineterminator: str = "\r\n") -> str:
    """The CSV of `rows` (the header is a row like the others), every cell through
    `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()
