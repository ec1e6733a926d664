"""Database setup: SQLite gets foreign keys, WAL and real transactions; `begin_write()` starts
a transaction as a writer (BEGIN IMMEDIATE on SQLite), which the request seam does for every
write request (`core.handlers.in_request_transaction`)."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

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
    if _is_sqlite(app):
        with app.app_context():
            _configure_sqlite(db.engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so that
        # savepoints and rollbacks behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
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
