"""Migrating an empty database to head yields exactly the models' schema."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

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


def test_migrations_match_the_models_on_sqlite(tmp_path, other_app):
    assert _differences(other_app, f"sqlite:///{tmp_path / 'migrated.sqlite3'}") == []


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
