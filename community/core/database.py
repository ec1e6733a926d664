"""Database setup: SQLite gets foreign keys, WAL and real transactions; `begin_write()` starts
a transaction as a writer (BEGIN IMMEDIATE on SQLite), which the request seam does for every
write request (`core.handlers.in_request_transaction`)."""

from __future__ import annotations

import os
import unicodedata
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import String

from community.extensions import db


def _is_sqlite(app: Flask) -> bool:
    return str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite")


def init_database(app: Flask) -> None:
    if _is_sqlite(app):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", 15)
        connect_args.setdefault("check_same_thread", False)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
        os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        if _is_sqlite(app):
            _configure_sqlite(db.engine)
        elif db.engine.dialect.name == "postgresql":
            _configure_postgresql(db.engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so that
        # savepoints and rollbacks behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        dbapi_connection.create_collation(SQLITE_NATURAL, _natural_compare)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer that reads first must take the write lock up front (BEGIN IMMEDIATE):
        # a deferred transaction that upgrades to a write fails at once under WAL if another
        # writer committed since its first read.
        if connection.get_execution_options().get("sqlite_immediate"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
        # What the connection had changed when this transaction began (see `give_back_write`).
        connection.info[_CHANGES_AT_BEGIN] = _total_changes(connection)


_CHANGES_AT_BEGIN = "terreau_changes_at_begin"


def _total_changes(connection: Any) -> int:
    """Rows SQLite's connection has inserted, updated or deleted since it opened."""
    return int(connection.connection.dbapi_connection.total_changes)


# --- the order people expect -----------------------------------------------------------------
#
# Names sorted byte by byte put every accented initial after Z ("Énergie" after "Solidarité",
# "Élodie" last), on SQLite and on a PostgreSQL database created with the C locale.
# `natural(column)` orders as a French reader expects: accents and case set aside first.
# SQLite: a collation registered on each connection; PostgreSQL: ICU's root collation when the
# server has it (checked once per engine), else the database's own order.

SQLITE_NATURAL = "terreau_natural"
PG_NATURAL = "und-x-icu"


def natural_key(value: str) -> tuple[str, str]:
    """The sort key of `value`: without accents, case folded; then the exact text (ties)."""
    folded = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), value


def _natural_compare(left: str, right: str) -> int:
    a, b = natural_key(left), natural_key(right)
    return (a > b) - (a < b)


class natural(ColumnElement[str]):
    """`ORDER BY natural(Model.name)`: the order people expect (see above)."""

    inherit_cache = True
    type = String()
    # The column is part of the statement's cache key (two orders must not share a compiled one).
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: Any) -> None:
        self.column = column


@compiles(natural)
def _natural_default(element: natural, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))


@compiles(natural, "sqlite")
def _natural_sqlite(element: natural, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} COLLATE {SQLITE_NATURAL}"


@compiles(natural, "postgresql")
def _natural_postgresql(element: natural, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    if getattr(compiler.dialect, "_terreau_icu", False):
        return f'{column} COLLATE "{PG_NATURAL}"'
    return str(column)


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "first_connect")
    def _detect_icu(dbapi_connection: Any, _record: Any) -> None:
        """Whether this server has ICU's root collation (every common build does)."""
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", (PG_NATURAL,))
            engine.dialect._terreau_icu = cursor.fetchone() is not None  # type: ignore[attr-defined]
        finally:
            cursor.close()


def give_back_write() -> None:
    """On SQLite, before waiting for a lock that another writer may hold while it waits for the
    database (a thread's write turn): end this session's writer transaction if it has written
    nothing yet, so that the wait never holds the database; `begin_write()` takes it again.

    Every writer then takes the turn first and the database second. A write request starts as
    a writer (BEGIN IMMEDIATE); it used to hold the database while waiting for the turn of a
    socket that held the turn while waiting for the database, both until SQLite's busy timeout.
    A transaction that has already written keeps its lock (it cannot give it back)."""
    session = db.session()
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    connection = session.connection()
    if not connection.get_execution_options().get("sqlite_immediate"):
        return  # a reader holds no write lock
    if _total_changes(connection) != connection.info.get(_CHANGES_AT_BEGIN):
        return  # rows written already: they stay in this transaction
    session.rollback()


def begin_write() -> None:
    """Start the session's transaction as a writer: on SQLite, BEGIN IMMEDIATE.

    A deferred SQLite transaction that reads, then writes, fails at once under WAL when another
    writer committed in between; taking the write lock up front makes writers queue instead.
    """
    session = db.session()
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return  # PostgreSQL locks rows; a test's bound connection has no concurrency
    if session.in_transaction():
        if session.connection().get_execution_options().get("sqlite_immediate"):
            return  # already a writer (the request's seam began it)
        if session.new or session.dirty or session.deleted:
            return
        session.rollback()  # only reads so far (loading the member): start again as a writer
    session.connection(execution_options={"sqlite_immediate": True})
