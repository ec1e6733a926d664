"""Test harness: one app and schema per session, each test in a rolled-back transaction.

Tests marked `live` or `browser` talk to a real server thread and commit for real; their
rows are deleted afterwards instead.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from flask_socketio.test_client import SocketIOTestClient
from flask_sqlalchemy.session import Session as FSASession
from sqlalchemy import text
from sqlalchemy.orm import Session as SASession
from sqlalchemy.orm import scoped_session, sessionmaker

from community import create_app
from community.core.queries import count_queries
from community.extensions import db
from community.members.models import Member

CHROMIUM = "/usr/bin/chromium"


# --- pytest-xdist groups ---------------------------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`--dist loadgroup` sends the tests of one `xdist_group` to one worker, by a "@group"
    suffix that pytest-xdist 3.8 writes to `item._nodeid` — which pytest 9 no longer reads (the
    node id lives in `item._id`): every group was split over the workers (the two-process tests
    then built their servers in both, one waiting on the other's lock). Write it where pytest
    reads it; nothing to do once pytest-xdist does it itself."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid.rpartition("]")[2]:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(names))}")  # type: ignore[attr-defined]


# --- mail: a real SMTP server (aiosmtpd) that keeps what it receives -------------------


@dataclass
class Outbox:
    messages: list[Message] = field(default_factory=list)

    def clear(self) -> None:
        self.messages.clear()

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text_of(message: Message) -> str:
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                return payload.decode(part.get_content_charset() or "utf-8")
        raise AssertionError("no text part")

    def links_in(self, message: Message) -> list[str]:
        return re.findall(r"https?://\S+", self.text_of(message))


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[str, int, Outbox]]:
    from aiosmtpd.controller import Controller

    outbox = Outbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            outbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 Message accepted for delivery"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield "127.0.0.1", port, outbox
    controller.stop()


@pytest.fixture
def outbox(smtp_server: tuple[str, int, Outbox]) -> Iterator[Outbox]:
    smtp_server[2].clear()
    yield smtp_server[2]
    smtp_server[2].clear()


# --- the application -------------------------------------------------------------------


def page_text(response: Any) -> str:
    """A response's HTML with entities decoded (apostrophes are escaped in pages)."""
    import html

    return html.unescape(response.get_data(as_text=True))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def app(
    tmp_path_factory: pytest.TempPathFactory, smtp_server: tuple[str, int, Outbox]
) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("terreau")
    database = _worker_database(os.environ.get("TEST_DATABASE_URL")) or (
        f"sqlite:///{tmp / 'test.sqlite3'}"
    )
    from community.config import database_url

    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url(database),
        MAIL_SERVER=smtp_server[0],
        MAIL_PORT=smtp_server[1],
        UPLOAD_FOLDER=str(tmp / "uploads"),
        PUBLIC_URL="http://localhost",
    )
    with application.app_context():
        db.drop_all()
        db.create_all()  # tests only: the product builds its schema with migrations
    _spare_the_collector()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _spare_the_collector() -> None:
    """Once the app is built: keep what exists out of the collector's passes (`gc.freeze`) and
    collect the youngest objects less often. The suite makes and drops many ORM objects; with
    the defaults a tenth of its time went to collections walking the app, its modules and
    SQLAlchemy's caches again and again."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own (created afresh,
    named after the suite's with the worker's id), since live tests commit and wipe tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker or not url.startswith("postgresql"):
        return url
    import psycopg

    base, name = url.rsplit("/", 1)
    mine = f"{name}_{worker}"
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{mine}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{mine}"')
    return f"{base}/{mine}"


def _cheap_password_hashing() -> None:
    """argon2 at production cost is slow on purpose; the suite hashes at its cheapest cost (the
    same code path, the same hash format: only the parameters differ)."""
    from argon2 import PasswordHasher, profiles

    from community.auth import passwords

    passwords._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    passwords._DUMMY_HASH = passwords._hasher.hash("terreau-dummy-password")


_cheap_password_hashing()


@pytest.fixture
def request_context(app: Flask) -> Iterator[None]:
    """Services speak French: their messages need a request (the locale comes from it)."""
    with app.test_request_context():
        yield


@pytest.fixture
def other_app() -> Any:
    """`other_app(config, **overrides)` builds a second application (another config or
    database); `_restore_socketio_server` points Socket.IO back at the suite's app after."""

    built: list[Flask] = []

    def build(config: str = "testing", **overrides: Any) -> Flask:
        app = create_app(config, **overrides)
        built.append(app)
        return app

    yield build
    for app in built:  # their connections close now, not whenever they are collected
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


class _BoundSession(FSASession):
    """Flask-SQLAlchemy's session, bound to the test's connection instead of the engine."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind


class _OwnThreadSessions(sessionmaker):  # type: ignore[type-arg]
    """Sessions bound to a test's connection for the thread that made the factory; the app's
    own sessions, on the engine, for any other thread (see `_sessions_on`). A `sessionmaker`,
    so that a test may still listen to `db.session`'s events."""

    def __init__(self, connection: Any, engine_sessions: Any) -> None:
        super().__init__(
            bind=connection,
            class_=_BoundSession,
            query_cls=db.Query,
            join_transaction_mode="create_savepoint",
            db=db,
        )
        self.engine_sessions = engine_sessions
        self.owner = threading.get_ident()

    def __call__(self, **local_kw: Any) -> Any:
        if threading.get_ident() != self.owner:
            return self.engine_sessions(**local_kw)
        return super().__call__(**local_kw)


def _sessions_on(connection: Any, original: Any) -> Any:
    """`db.session` while a test (or a `built_once` builder) works in `connection`'s transaction.

    Only the thread that set it up gets sessions bound to that connection: the test's own code,
    its test client's requests and its Socket.IO events. Any other thread keeps the app's own
    sessions, on the engine: a live server's handler still finishing after its test, or the
    push worker's retry timer firing seconds later. One connection used from two threads
    interleaves their savepoints: in a PostgreSQL run, another thread's `ROLLBACK TO SAVEPOINT`
    took back a theme the test had just flushed ("Thème inconnu"); such a thread must not write
    into a test that is not its own."""
    factory = _OwnThreadSessions(connection, original.session_factory)
    return scoped_session(factory, scopefunc=original.registry.scopefunc)


# Connections of `built_once` fixtures alive now (the innermost last): a test inside one works
# in a savepoint of that connection's transaction, on top of the rows built once.
_shared_connections: list[Any] = []


@dataclass(frozen=True)
class _Row:
    entity: type
    identity: tuple[Any, ...]


@dataclass(frozen=True)
class _Data:
    cls: type
    values: dict[str, Any]


def _as_ids(value: Any) -> Any:
    """`value` with every row in it (in dataclasses, dicts, lists, tuples) replaced by its key."""
    import dataclasses

    from sqlalchemy import inspect
    from sqlalchemy.orm import InstanceState

    state = inspect(value, raiseerr=False)
    if isinstance(state, InstanceState):
        assert state.identity is not None, f"{value!r} is not flushed"
        return _Row(type(value), state.identity)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return _Data(type(value), {f.name: _as_ids(getattr(value, f.name)) for f in fields})
    if isinstance(value, SimpleNamespace):
        return _Data(SimpleNamespace, {k: _as_ids(v) for k, v in vars(value).items()})
    if isinstance(value, dict):
        return {k: _as_ids(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_as_ids(v) for v in value)
    return value


def load_rows(value: Any) -> Any:
    """What `_as_ids` stored, with each row loaded in the test's session."""
    if isinstance(value, _Row):
        row = db.session.get(value.entity, value.identity)
        assert row is not None, f"{value} is gone"
        return row
    if isinstance(value, _Data):
        data = value.cls.__new__(value.cls)
        for name, item in value.values.items():
            object.__setattr__(data, name, load_rows(item))
        return data
    if isinstance(value, dict):
        return {k: load_rows(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(load_rows(v) for v in value)
    return value


def built_once(builder: Callable[[], Any]) -> Any:
    """A module fixture: `builder()` runs once, in a transaction of the module's own, and each
    test of the module then runs in a savepoint of it, rolled back after the test (the rows are
    the same at every test's start, whatever the order). The fixture's value is what `builder`
    returned with its rows replaced by their keys: a test loads them in its own session with
    `load_rows(value)`. Not for live or browser tests (they commit for real, on other
    connections)."""

    @pytest.fixture(scope="module")
    def fixture(app: Flask) -> Iterator[Any]:
        ctx = app.test_request_context()  # what builders need (Flask-Babel reads the locale)
        ctx.push()
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = _sessions_on(connection, original)
        try:
            value = builder()
            db.session.flush()
            value = _as_ids(value)
            db.session.commit()  # into the module's transaction, which stays open
        finally:
            db.session.remove()
            db.session = original
            ctx.pop()
        _shared_connections.append(connection)
        try:
            yield value
        finally:
            _shared_connections.remove(connection)
            with app.app_context():
                transaction.rollback()
                connection.close()

    return fixture


@pytest.fixture(autouse=True)
def _database(request: pytest.FixtureRequest, app: Flask) -> Iterator[None]:
    live = request.node.get_closest_marker("live") or request.node.get_closest_marker("browser")
    ctx = app.app_context()
    ctx.push()
    if live:
        assert not _shared_connections, "a live test cannot run inside `built_once` rows"
        try:
            yield
        finally:
            db.session.remove()
            _delete_everything()
            ctx.pop()
        return
    shared = _shared_connections[-1] if _shared_connections else None
    connection = shared or db.engine.connect()
    transaction = connection.begin_nested() if shared else connection.begin()
    original = db.session
    db.session = _sessions_on(connection, original)
    try:
        yield
    finally:
        db.session.remove()
        db.session = original
        if transaction.is_active:
            transaction.rollback()
        if shared is None:
            connection.close()
        ctx.pop()


def _delete_everything() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _restore_socketio_server(app: Flask) -> Iterator[None]:
    """Each test talks to the suite app's own Socket.IO server, and leaves it as it found it.

    Another `create_app()` in the process (the migration tests build one) rebinds the
    `socketio` singleton to a new server, while the suite's app keeps serving its own: point
    the singleton back at it. Flask-SocketIO's test client patches the server's packet
    sending for good (real clients would then receive nothing): undo that afterwards.
    """
    from community.extensions import socketio

    server = getattr(app.wsgi_app, "engineio_app", None)
    previous = socketio.server
    if server is None:
        yield
        return
    socketio.server = server
    patched = ("_send_packet", "_send_eio_packet")
    saved = {name: server.__dict__.get(name) for name in patched}
    handlers = (server.async_handlers, server.eio.async_handlers)
    try:
        yield
    finally:
        for name in patched:
            if saved[name] is None:
                server.__dict__.pop(name, None)
            else:
                setattr(server, name, saved[name])
        server.async_handlers, server.eio.async_handlers = handlers
        socketio.server = previous


@pytest.fixture(autouse=True)
def _events_in_their_own_context(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Socket.IO test event runs in a fresh application context, as in production and as
    `TerreauClient`'s requests: otherwise it would share the test's session, and the rollback
    of a refused event would take back what the test had flushed but not committed."""
    original = SocketIOTestClient.emit

    def emit(self: SocketIOTestClient, *args: Any, **kwargs: Any) -> Any:
        db.session.flush()  # what the test changed is what the event sees
        with self.app.app_context():
            answer = original(self, *args, **kwargs)
        db.session.expire_all()  # the test reads what the event stored
        return answer

    monkeypatch.setattr(SocketIOTestClient, "emit", emit)


@pytest.fixture(autouse=True)
def _reset_limits(app: Flask) -> Iterator[None]:
    from community.core import ratelimit
    from community.extensions import limiter

    limiter.reset()
    ratelimit.reset()
    yield


# --- clients -----------------------------------------------------------------------------


class TerreauClient(FlaskClient):
    """The Flask test client, plus CSRF tokens and logging in without a password round trip.

    Each request runs in a fresh application context, as in production: otherwise it would
    reuse the test's context, and `g` (where Flask-Login keeps the loaded member) would leak
    from one request to the next. The test's session is flushed before (the request sees what
    the test changed) and expired after (the test reads what the request stored).
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        db.session.flush()  # what the test changed is what the request sees
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        """The CSRF token a page would carry for this client's session, minted as Flask-WTF's
        `generate_csrf` mints it (a raw value kept in the session, signed) without building a
        page for it: reading one cost a page's rendering per posted form. Browser tests post
        the tokens real pages carry."""
        import hashlib

        from itsdangerous import URLSafeTimedSerializer

        app = self.application
        field = app.config["WTF_CSRF_FIELD_NAME"]
        with self.session_transaction() as session:
            if field not in session:
                session[field] = hashlib.sha1(os.urandom(64), usedforsecurity=False).hexdigest()
            raw = session[field]
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def _logged_in(self) -> bool:
        with self.session_transaction() as session:
            return "_user_id" in session

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form as a browser would: with the page's CSRF token."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def login_as(self, member: Member) -> TerreauClient:
        app = self.application
        with app.test_request_context(environ_base=self.environ_base):
            identifier = _create_identifier()
        with self.session_transaction() as session:
            session["_user_id"] = member.get_id()
            session["_fresh"] = True
            session["_id"] = identifier
        return self


@pytest.fixture
def client(app: Flask) -> TerreauClient:
    app.test_client_class = TerreauClient
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def login_as(client: TerreauClient):  # type: ignore[no-untyped-def]
    return client.login_as


@pytest.fixture
def api_token(app: Flask):  # type: ignore[no-untyped-def]
    """`api_token(member)` → the `Authorization` header of a fresh bearer token."""
    from community.auth.services import issue_token

    def make(member: Member) -> dict[str, str]:
        clear, _ = issue_token(member)
        return {"Authorization": f"Bearer {clear}"}

    return make


@pytest.fixture
def queries(app: Flask):  # type: ignore[no-untyped-def]
    """`with queries() as log: …` then `log.count`."""
    return lambda: count_queries(db.engine)


# --- real servers ------------------------------------------------------------------------


@pytest.fixture
def live_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app served by a real threaded server on a free port (Socket.IO included).

    Its settings go through `monkeypatch`, so that a test's own `monkeypatch.setitem` of the
    same setting is undone in the right order (a saved copy restored by hand, after the
    monkeypatch that had saved the server's address, left that address to the next tests)."""
    from werkzeug.serving import make_server

    from community.core.devserver import RequestHandler

    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=RequestHandler)
    # A short poll: `shutdown()` waits for the loop to look (0.5 s by default, at every test).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setitem(app.config, "ALLOWED_ORIGINS", [*app.config["ALLOWED_ORIGINS"], base])
    monkeypatch.setitem(app.config, "PUBLIC_URL", base)
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=5)


def commit_rows(*objects: Any) -> None:
    """For live tests: store rows for real so another thread or process sees them."""
    for obj in objects:
        db.session.add(obj)
    db.session.commit()


# --- the browser (Playwright driving Debian's Chromium) -----------------------------------


def _chromium_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return "Debian's chromium is not installed (make test installs it when run as root)"
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    reason = _chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }  # fmt: skip


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A phone's screen, in French. The service worker is blocked here (each new context would
    register and install it again: a quarter of Chromium's work per test); the tests of the
    installable app, of push and the journeys allow it (`with_service_worker`), as phones do."""
    return {
        **browser_context_args,
        "viewport": {"width": 360, "height": 740},
        "locale": "fr-FR",
        "service_workers": "block",
    }


def with_service_worker(args: dict[str, Any]) -> dict[str, Any]:
    """For a module's own `browser_context_args`: these pages run with their service worker."""
    return {**args, "service_workers": "allow"}


def _settled(page: Any, check: Any) -> Any:
    """Run `check(page)` on a loaded document.

    A click on a link returns before the next page has replaced the current one; a script run
    while it does is cut off ("Execution context was destroyed", a null `documentElement`).
    Such a run says nothing about either page: wait for the new one to load and run again."""
    from playwright.sync_api import Error

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            return check(page)
        except Error as error:
            text = str(error)
            cut_off = "context was destroyed" in text or "documentElement" in text
            if not cut_off or attempt == 2:
                raise
    return None  # pragma: no cover - the loop returns or raises


def browser_log_in(page: Any, base: str, member: Any) -> None:
    """Give `page`'s browser `member`'s session, as logging in would: the session cookie the
    login page sets (signed by the app, bound to this browser as Flask-Login's "strong"
    protection wants), without the two page loads of the form. The page stays where it is: go
    where the test begins. Logging in through the form is the accounts' tests' own
    (tests/browser/test_accounts_browser.py)."""
    from flask import current_app

    app = current_app._get_current_object()
    agent = page.evaluate("navigator.userAgent")
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": agent}
    with app.test_request_context(base_url=base, environ_base=environ):
        identifier = _create_identifier()
    session = {"_user_id": member.get_id(), "_fresh": True, "_id": identifier}
    value = app.session_interface.get_signing_serializer(app).dumps(session)  # type: ignore[attr-defined]
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": app.config["SESSION_COOKIE_NAME"],
                "value": value,
                "url": base,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = _settled(page, Axe().run)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
    assert not bad, f"axe violations on {page.url}:\n{details}"


def assert_no_broken_headers(page: Any) -> None:
    """No table header is broken inside a word (at 360 px: one letter per line).

    A header wrapped between words has at most as many lines as words.
    """
    broken = page.evaluate(
        """() => Array.from(document.querySelectorAll("th")).filter((th) => {
          const style = getComputedStyle(th);
          const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
          const range = document.createRange();  // the text itself, not the (taller) cell
          range.selectNodeContents(th);
          const inner = range.getBoundingClientRect().height;
          const words = th.innerText.trim().split(/\\s+/).filter(Boolean).length;
          return words > 0 && Math.round(inner / line) > words;
        }).map((th) => th.innerText.trim())"""
    )
    assert broken == [], f"{page.url}: headers broken inside a word: {broken}"


def assert_no_horizontal_scroll(page: Any) -> None:
    width, viewport = _settled(
        page, lambda p: p.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    )
    assert width <= viewport, f"{page.url} scrolls sideways: {width}px wide in {viewport}px"


def postgres_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_ADMIN_URL") or "postgresql://postgres@127.0.0.1:5432/test"


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(postgres_admin_url(), connect_timeout=2).close()
    except Exception:
        return False
    return True


@pytest.fixture
def sql(app: Flask):  # type: ignore[no-untyped-def]
    """Run raw SQL in the test's transaction (to check what was stored)."""
    return lambda statement, **params: db.session.execute(text(statement), params)


__all__ = ["SASession", "assert_accessible", "assert_no_horizontal_scroll", "commit_rows"]
