"""Every foreign key leads an index: deleting a member or a theme, or filtering by one, never
scans a whole table (erasure used to scan every message for `hidden_by_id`)."""

from __future__ import annotations

from community.extensions import db


def _leading_columns(table) -> set[str]:  # type: ignore[no-untyped-def]
    leading = {next(iter(index.columns)).name for index in table.indexes if index.columns}
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if columns and constraint.__class__.__name__ in {
            "PrimaryKeyConstraint",
            "UniqueConstraint",
        }:
            leading.add(columns[0].name)
    return leading


def test_every_foreign_key_leads_an_index(app):
    missing = [
        f"{table.name}.{key.parent.name}"
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.parent.name not in _leading_columns(table)
    ]
    assert missing == []
