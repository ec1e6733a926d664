"""Ids never given twice on SQLite: `members`, `event_registrations` and `push_subscriptions`
are rebuilt with AUTOINCREMENT (the models' `NEVER_REUSED_IDS`).

Without it SQLite gives a new row the largest id plus one, so once the row with the largest
id is deleted its id goes to the next row: the next person to sign up after an erasure got
the erased member's id, and with it the resolved reports about the erased account
(`reports.target_id`) and the journal's acts on it (`moderation_actions.target_id`), which
keep the id without a foreign key, and the one-click unsubscribe links (which never expire)
in the erased member's old mails stopped the newcomer's mail. A guest's links carry their
registration's id for 400 days (the cancel link gave the place away), and the row goes when
the account of the same address is erased; a push being sent holds its subscription's id
and deletes the row by it when the browser is gone. Other tables are left as they are:
messages, threads, initiatives, communities, events and reports are never deleted (a message
is marked deleted, its row stays), so their ids are never free to be given again; the rows
that go with an erased account (memberships, help requests, notifications…) are named by
no bare id that outlives them.

PostgreSQL's sequences never give an id twice: nothing to do there.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

TABLES = ("members", "event_registrations", "push_subscriptions")

# Where an id of `members` stays after its row is gone (the rows whose `target_type` is
# 'member'): the largest of them counts as given even if no member has it any more.
KEPT_MEMBER_IDS = (("reports", "target_id"), ("moderation_actions", "target_id"))


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _require_foreign_keys_off() -> None:
    # Rebuilding drops the old table; with foreign keys on, SQLite deletes its rows first and
    # every `ondelete` rule acts (all memberships gone, every message unlinked). `env.py`
    # turns them off before the transaction begins (the pragma does nothing inside one).
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("0024 rebuilds tables: SQLite's foreign keys must be off (env.py)")


def _rebuild(table: str, *, autoincrement: bool) -> None:
    """Copy `table` into a new one with or without AUTOINCREMENT (Alembic's batch mode: the
    columns, their defaults, the keys, the CHECK and UNIQUE constraints and the indexes are
    read from the database and made again; the rows keep their ids)."""
    with op.batch_alter_table(
        table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def _largest_used(table: str) -> int:
    """The largest id of `table` known to have been given: its rows', and for members the ids
    that reports and the journal still name (an erased member's, possibly the largest).

    An id larger than these, given before this migration to a row deleted since and named
    nowhere in the database, cannot be known (SQLite without AUTOINCREMENT keeps no trace of
    it): the next row may get it once more. Nothing in the database names it; a link in an
    old mail may (a member's unsubscribe link, a guest's cancel link).
    """
    bind = op.get_bind()
    largest = bind.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar() or 0
    if table == "members":
        for kept, column in KEPT_MEMBER_IDS:
            named = bind.exec_driver_sql(
                f"SELECT COALESCE(MAX({column}), 0) FROM {kept} WHERE target_type = 'member'"
            ).scalar()
            largest = max(largest, named or 0)
    return int(largest)


def _seed_sequence(table: str) -> None:
    """Start the table's AUTOINCREMENT counter (`sqlite_sequence`) after every id known to
    have been given: SQLite then gives each new row more than both the counter and the
    largest id present."""
    largest = _largest_used(table)
    if largest == 0:
        return
    bind = op.get_bind()
    sequence = sa.table("sqlite_sequence", sa.column("name", sa.String), sa.column("seq"))
    found = bind.execute(
        sa.select(sequence.c.seq).where(sequence.c.name == table)
    ).scalar()  # copying the rows set it already to the largest id present
    if found is None:
        bind.execute(sequence.insert().values(name=table, seq=largest))
    elif int(found) < largest:
        bind.execute(sequence.update().where(sequence.c.name == table).values(seq=largest))


def upgrade() -> None:
    if not _sqlite():
        return
    _require_foreign_keys_off()
    for table in TABLES:
        _rebuild(table, autoincrement=True)
        _seed_sequence(table)


def downgrade() -> None:
    if not _sqlite():
        return
    _require_foreign_keys_off()
    for table in TABLES:
        # Dropping the table removes its row from `sqlite_sequence`.
        _rebuild(table, autoincrement=False)
