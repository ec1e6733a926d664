"""The one way Terreau writes CSV: every field quoted, every formula a spreadsheet could run
defused.

A cell that starts like a formula (`=`, `+`, `-`, `@`, their full-width forms, a tab or a
line break — after any leading spaces) is written with a leading apostrophe, so that a
spreadsheet shows the text instead of running it: a question labelled
`=HYPERLINK("http://evil","x")` came out as a live link in the header of a questionnaire's
export. The same holds for every *segment* of a cell, after a `;`, a `,`, a tab or a line
break (and their full-width forms): a spreadsheet that splits a cell on one of them (text to
columns, a paste, an import with another delimiter) runs `ok;=HYPERLINK(…)` or `ok\n=cmd`
from the second segment on. Every field is quoted (`csv.QUOTE_ALL`), so that a separator or a
line break stays inside its cell. `tests/core/test_csvfile.py` fails when a module writes CSV
any other way.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# After a separator (and any spaces), a segment that starts like a formula gets its apostrophe.
_SEGMENT = re.compile(r"([;,\t\r\n；，] *)(?=[=+\-@＝＋－＠])")


def csv_cell(value: object) -> object:
    """`value` as a safe cell: None is empty, a number stays a number, text whose start or any
    segment after a separator starts like a formula gets an apostrophe there."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _SEGMENT.sub(r"\1'", str(value))
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


def csv_text(rows: Iterable[Iterable[object]], *, lineterminator: str = "\r\n") -> str:
    """The CSV of `rows` (the header is a row like the others), every cell through
    `csv_cell`, every field quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()
