import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# Keep the application's loggers working when migrations run inside it (tests, `flask db`).
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def render_item(type_, obj, autogen_context):
    """Write our column types as the plain SQLAlchemy types they store."""
    from community.core.models import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    conf_args.setdefault("render_item", render_item)
    # The search index's FTS5 table and its shadow tables are not models: leave them alone.
    from community.core.search import is_search_internal

    conf_args.setdefault("include_name", lambda name, type_, parent: not is_search_internal(name))
    connectable = get_engine()

    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # SQLite cannot ALTER most things: let Alembic copy-and-move tables there.
        conf_args["render_as_batch"] = sqlite
        if sqlite:
            # A reference already broken (rows written with foreign keys off, by sqlite3's
            # shell for instance) is said as such, before anything is migrated.
            _broken_sqlite_references(connection, "already lead nowhere before migrating")
            if connection.in_transaction():
                connection.rollback()
            _sqlite_foreign_keys(connection, on=False)
            # Alembic commits each migration on its own on SQLite: checked before each commit.
            conf_args["on_version_apply"] = [
                *conf_args.get("on_version_apply", []),
                _check_sqlite_foreign_keys,
            ]
        try:
            context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                if connection.in_transaction():  # only reads left (closing would roll back)
                    connection.rollback()
                try:
                    _sqlite_foreign_keys(connection, on=True)
                except Exception:
                    connection.invalidate()  # never back to the pool with them off
                    raise


def _sqlite_foreign_keys(connection, *, on):
    """Turn SQLite's foreign keys off for the migrations, and on again after (the app's connect
    hook turned them on, and this connection goes back to the app's pool).

    Copy-and-move drops the old table: with foreign keys on, that DROP deletes every row first
    and each `ondelete` rule acts (rebuilding `members` would delete every membership and
    unlink every message). SQLite's procedure for rebuilding a table turns them off first. The
    pragma does nothing inside a transaction: it goes through the driver's connection, before
    SQLAlchemy begins one.
    """
    raw = connection.connection.dbapi_connection
    raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
    if bool(raw.execute("PRAGMA foreign_keys").fetchone()[0]) != on:
        raise RuntimeError(f"SQLite's foreign keys could not be turned {'on' if on else 'off'}")


def _check_sqlite_foreign_keys(*, ctx, **_kw):
    """After each migration, before it commits: every reference still finds its row (SQLite's
    procedure, the foreign keys being off). Otherwise that migration rolls back."""
    _broken_sqlite_references(ctx.connection, "lead nowhere after migrating")


def _broken_sqlite_references(connection, said):
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        shown = ", ".join(
            f"{table} row {rowid} → {parent}" for table, rowid, parent, _ in broken[:5]
        )
        raise RuntimeError(
            f"{len(broken)} references {said}: {shown}"
            + (" (delete or mend these rows, then migrate)" if "before" in said else "")
        )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
