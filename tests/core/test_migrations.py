"""Migrating an empty database to head yields exactly the models' schema; on SQLite, the
tables whose ids are never given twice have AUTOINCREMENT, and rebuilding them (0024) keeps
every row and every reference."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from community.core.models import utcnow
from community.core.search import is_search_internal
from community.extensions import db
from tests.conftest import postgres_admin_url, postgres_available


def _differences(build, url: str) -> list:
    app = build("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            # The FTS5 table of the search index and its shadow tables are not models.
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, parent: not is_search_internal(name),
                },
            )
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    return diff


@pytest.mark.postgres
@pytest.mark.skipif(
    not postgres_available(), reason="no PostgreSQL server answers on 127.0.0.1:5432"
)
def test_migrations_match_the_models_on_postgresql(other_app):
    import psycopg

    name = f"terreau_migrations_{uuid.uuid4().hex[:8]}"
    admin = postgres_admin_url()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        assert _differences(other_app, f"{base}/{name}") == []
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _autoincrement(path: Path) -> set[str]:
    """The tables of this SQLite file that never give an id twice."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
        ).fetchall()
    return {name for name, sql in rows if "AUTOINCREMENT" in sql.upper()}


def _never_reused() -> set[str]:
    """The tables whose models say `NEVER_REUSED_IDS`."""
    return {
        t.name for t in db.metadata.tables.values() if t.dialect_options["sqlite"]["autoincrement"]
    }


def test_migrations_match_the_models_on_sqlite(tmp_path, other_app):
    path = tmp_path / "migrated.sqlite3"
    assert _differences(other_app, f"sqlite:///{path}") == []
    # Autogenerate compares no table options: AUTOINCREMENT is checked here.
    assert _autoincrement(path) == _never_reused() == {
        "members", "event_registrations", "push_subscriptions"
    }  # fmt: skip


def test_the_suites_database_gives_ids_as_a_migrated_one(app):
    """The suite builds its schema from the models (`create_all`): AUTOINCREMENT too."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("AUTOINCREMENT is SQLite's (PostgreSQL never gives an id twice)")
    assert url.database is not None
    assert _autoincrement(Path(url.database)) == _never_reused()


# --- 0024: rebuilding tables with AUTOINCREMENT, on a database with rows -----------------------


def _fill(connection: sa.Connection) -> dict[str, int]:
    """A few rows in the rebuilt tables and in tables that reference them, with each kind of
    `ondelete` (a rebuild with foreign keys on would delete or unlink them); member 3, the
    largest id, erased with a report about her left behind."""
    tables = db.metadata.tables
    now = utcnow()

    def add(table: str, /, **values: Any) -> int:
        result = connection.execute(tables[table].insert().values(**values))
        return int(result.inserted_primary_key[0])

    ids = [
        add(
            "members",
            email=f"m{n}@example.org",
            display_name=f"Membre {n}",
            display_name_key=f"membre {n}",
            password_hash="x",
        )
        for n in (1, 2, 3)
    ]
    theme = add("themes", name="Jardins", slug="jardins")
    community = add("communities", slug="compost", name="Compost", theme_id=theme)
    for member in ids:
        add("memberships", community_id=community, member_id=member, status="active")
    thread = add("threads", title="Le composteur", community_id=community)
    add("messages", thread_id=thread, seq=1, body="Bonjour", body_html="<p>Bonjour</p>",
        author_id=ids[1])  # fmt: skip
    add("notifications", member_id=ids[0], kind="reply", text="Réponse", actor_id=ids[1])
    event = add("events", community_id=community, title="Troc", starts_at=now,
                ends_at=now + timedelta(hours=2))  # fmt: skip
    add("event_registrations", event_id=event, member_id=ids[1], status="going")
    add("event_registrations", event_id=event, guest_name="Camille", status="going")
    add("push_subscriptions", member_id=ids[0], endpoint="https://fcm.googleapis.com/x",
        p256dh="k", auth="a")  # fmt: skip
    add("reports", reporter_id=ids[0], target_type="member", target_id=ids[2],
        target_author_id=ids[2], reason="insult")  # fmt: skip
    connection.execute(tables["members"].delete().where(tables["members"].c.id == ids[2]))
    return {"erased": ids[2]}


def _everything(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the search index's own and Alembic's), in order."""
    with closing(sqlite3.connect(path)) as connection:
        names = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith(("sqlite_", "alembic_")) and not is_search_internal(name)
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


def _sequence(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        return dict(connection.execute("SELECT name, seq FROM sqlite_sequence").fetchall())


def _broken_references(path: Path) -> list[Any]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA foreign_key_check").fetchall()


def test_0024_keeps_every_row_and_reference_and_gives_no_id_twice(tmp_path, other_app):
    path = tmp_path / "rows.sqlite3"
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        upgrade(revision="0023")
        with db.engine.begin() as connection:
            erased = _fill(connection)["erased"]
        before = _everything(path)
        assert _autoincrement(path) == set()

        upgrade(revision="0024")
        assert _everything(path) == before  # nothing deleted, nothing unlinked
        assert _broken_references(path) == []
        assert _autoincrement(path) == _never_reused()
        # Member 3, erased before, is named by a report: her id counts as given.
        sequence = _sequence(path)
        assert sequence["members"] == erased and sequence["event_registrations"] == 2
        with db.engine.begin() as connection:
            # The connection the migrations used went back to the pool with foreign keys on.
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            members = db.metadata.tables["members"]
            newcomer = connection.execute(
                members.insert().values(
                    email="n@example.org",
                    display_name="Nina",
                    display_name_key="nina",
                    password_hash="x",
                )
            ).inserted_primary_key[0]
            connection.execute(members.delete().where(members.c.id == newcomer))
        assert newcomer == erased + 1

        downgrade(revision="0023")
        assert _everything(path) == before
        assert _broken_references(path) == []
        assert _autoincrement(path) == set()
        db.engine.dispose()


def test_0024_will_not_rebuild_with_foreign_keys_on(tmp_path, other_app):
    """Rebuilding drops the old table: with foreign keys on, SQLite would first delete its rows,
    and every membership with them. `env.py` turns them off; run otherwise, 0024 refuses."""
    path = tmp_path / "on.sqlite3"
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        upgrade(revision="0023")
        with db.engine.begin() as connection:
            _fill(connection)
        before = _everything(path)
        config = current_app.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config).get_revision("0024")
        assert script is not None
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            context = MigrationContext.configure(connection, opts={"render_as_batch": True})
            with Operations.context(context), pytest.raises(RuntimeError, match="foreign keys"):
                script.module.upgrade()
            connection.rollback()
        assert _everything(path) == before
        db.engine.dispose()


def test_a_reference_already_leading_nowhere_is_said_before_anything_is_migrated(
    tmp_path, other_app, capsys
):
    """With the foreign keys off, `env.py` checks them before each migration commits; a
    reference already broken before (rows written with them off) is said as such first, and
    nothing is migrated."""
    path = tmp_path / "broken.sqlite3"
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        upgrade(revision="0023")
        # Foreign keys off (sqlite3's default): a notification of nobody.
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute(
                "INSERT INTO notifications (member_id, kind, text, url, created_at)"
                " VALUES (99, 'reply', 'Réponse', '', '2026-12-07 10:00:00')"
            )
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
            upgrade(revision="0024")
        said = capsys.readouterr().err
        assert "1 references already lead nowhere before migrating: notifications row 1" in said
        assert "delete or mend these rows, then migrate" in said
        with db.engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar() == "0023"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert _autoincrement(path) == set()
        db.engine.dispose()


def test_a_migration_that_leaves_a_reference_leading_nowhere_is_rolled_back(
    tmp_path, other_app, capsys, monkeypatch
):
    """`env.py` checks every reference after each migration, before it commits: one that leaves
    a row pointing nowhere (here 0024, made to write a notification of nobody after its last
    rebuild) is said and rolled back whole — its rebuilt tables too."""
    from contextlib import contextmanager

    from alembic.operations import Operations

    rebuild = Operations.batch_alter_table

    @contextmanager
    def rebuild_then_break(self: Operations, table_name: str, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        with rebuild(self, table_name, *args, **kwargs) as batch:
            yield batch
        if table_name == "push_subscriptions":
            self.get_bind().exec_driver_sql(
                "INSERT INTO notifications (member_id, kind, text, url, created_at)"
                " VALUES (99, 'reply', 'Réponse', '', '2026-12-07 10:00:00')"
            )

    path = tmp_path / "breaks.sqlite3"
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        upgrade(revision="0023")
        with db.engine.begin() as connection:
            _fill(connection)
        before = _everything(path)
        monkeypatch.setattr(Operations, "batch_alter_table", rebuild_then_break)
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
            upgrade(revision="0024")
        said = capsys.readouterr().err
        assert "1 references lead nowhere after migrating: notifications row" in said
        with db.engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar() == "0023"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert _everything(path) == before  # the notification of nobody is gone too
        assert _broken_references(path) == []
        assert _autoincrement(path) == set()  # the rebuilt tables are the old ones again
        db.engine.dispose()


# --- 0025: handover notes given back to whoever wrote them ----------------------------------


def test_0025_gives_a_note_back_to_whoever_asked(tmp_path, other_app):
    path = tmp_path / "handovers.sqlite3"
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        upgrade(revision="0024")
        tables = db.metadata.tables
        now = utcnow()
        with db.engine.begin() as connection:

            def add(table: str, /, **values: Any) -> int:
                result = connection.execute(tables[table].insert().values(**values))
                return int(result.inserted_primary_key[0])

            maryse, lea, karim = (
                add(
                    "members",
                    email=f"{n}@example.org",
                    display_name=n,
                    display_name_key=n,
                    password_hash="x",
                )
                for n in ("maryse", "lea", "karim")
            )
            theme = add("themes", name="Jardins", slug="jardins")
            community = add("communities", slug="compost", name="Compost", theme_id=theme)
            add("gardener_proposals", community_id=community, side="citizen", candidate_id=lea,
                proposed_by_id=maryse, note="Les clés sont chez Omar.", status="accepted",
                answered_at=now)  # fmt: skip
            # What the bug stored: signed by Léa, who accepted.
            wrong = add("handovers", community_id=community, side="citizen", from_member_id=maryse,
                        to_member_id=lea, written_by_id=lea, note="Les clés sont chez Omar.",
                        note_html="<p>Les clés sont chez Omar.</p>")  # fmt: skip
            # Staff naming himself with his own note, no proposal: his indeed.
            own = add("handovers", community_id=community, side="technician",
                      from_member_id=None, to_member_id=karim, written_by_id=karim,
                      note="Je reprends.", note_html="<p>Je reprends.</p>")  # fmt: skip
        upgrade(revision="0025")
        with db.engine.begin() as connection:
            writers = dict(
                connection.execute(
                    sa.select(tables["handovers"].c.id, tables["handovers"].c.written_by_id)
                ).all()
            )
        assert writers == {wrong: maryse, own: karim}
        db.engine.dispose()
