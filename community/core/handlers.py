"""The adapters' plumbing, once: one transaction per request or event, the acting member, and
the form → service → errors → redirect dance.

- `TerreauFlask.dispatch_request` runs every HTML view and API endpoint in one transaction
  (`in_request_transaction`), and the socket `event()` wrapper (`core/sockets.py`) every
  event: committed once when the handler returns, rolled back on any exception and on an
  answer of 400 or more (Indico's `RH.process`). Handlers never commit: a test walks their
  modules. `keep_despite_refusal()` is the one way a refusal keeps what was written before
  it (a login's rehashed password when the account is not confirmed yet).
- `transaction()` (a context manager) and `transactional` (its decorator): the same for what
  runs outside a request or an event — CLI commands, background jobs — and for a use case
  that must commit inside a lock (`threads.use_cases.send_message`, the thread's write turn).
  Inside a request's transaction it commits early; the request's own commit then has
  nothing left to do.
- The member's standing (`core/standing.py`): a write request (any method but GET, HEAD,
  OPTIONS) of a member who may only read right now (suspended from the platform) is refused
  with 403 before its view runs, unless the view is marked `kept_while_suspended`.
- `require_member()`: the member behind the request (session or bearer token), typed, or
  `Unauthenticated` (401 in every protocol).
- `form_action(form, action, done)`: a valid form runs `action()`; a refusal from it is shown
  on the form and everything written is rolled back; on success `done(result)` gives the
  response, usually a redirect (flushed rows have their ids). `attempt(action)` is the same
  without a form (a button whose refusal is flashed); `with refusal_undone():` the same for
  a block whose ``except`` shows the refusal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from community.core.database import begin_write
from community.core.errors import DomainError, Invalid, Unauthenticated
from community.core.forms import apply_errors
from community.core.permissions import current_member
from community.core.standing import kept_view_reason, require_standing
from community.extensions import db

if TYPE_CHECKING:
    from community.members.models import Member

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def transaction() -> Iterator[None]:
    """Commit once when the block ends; roll back on any exception (and re-raise it)."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def transactional(handler: Callable[P, T]) -> Callable[P, T]:
    """Run `handler` in one transaction: committed when it returns, rolled back if it raises."""

    @functools.wraps(handler)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
        with transaction():
            return handler(*args, **kwargs)

    return wrapped


_KEEP = "terreau_keep_despite_refusal"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def keep_despite_refusal() -> None:
    """Commit this request's transaction even if the handler then refuses (a 4xx answer or a
    `DomainError`): for what a refusal must still record. A crash (5xx) still rolls back."""
    setattr(g, _KEEP, True)


def _commit() -> None:
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def in_request_transaction(view: Callable[[], ResponseReturnValue]) -> Response:
    """Run a view in one transaction and build its response inside it: committed when the
    response is below 400, rolled back when it is 400 or more (a refusal keeps nothing, unless
    `keep_despite_refusal()`) and on any exception, which goes on to the error handlers.

    Two identical writes at once (a double click, a client's retry): on SQLite a write request
    (any method but GET, HEAD, OPTIONS) starts as a writer (`begin_write`: BEGIN IMMEDIATE), so
    they queue; on PostgreSQL both run, and the one that meets its twin's row in a unique
    constraint is replayed once, from the start, in a fresh transaction — it then finds the row
    and answers as a repeat does, never a 500. A reading request that writes (the reader's
    marker) and meets SQLite's lock is replayed once as a writer."""
    replays = 0 if request.method in _READS else 1
    writer = request.method not in _READS
    while True:
        try:
            return _request_once(view, writer)
        except IntegrityError as error:
            if replays and _duplicate(error):
                replays -= 1
                continue  # `_request_once` rolled back: nothing of the first attempt is kept
            raise
        except OperationalError as error:
            # A page read first, then wrote (a thread page moves the reader's marker): on
            # SQLite a reading transaction cannot become a writer once another one committed
            # since it began ("database is locked" at once, whatever the busy timeout). Such a
            # page is replayed once, from the start, as a writer (it queues like the others).
            if not writer and _sqlite_busy(error):
                writer = True
                continue
            raise


def _duplicate(error: IntegrityError) -> bool:
    """A unique constraint refused a row (PostgreSQL's 23505, SQLite's UNIQUE)."""
    origin = error.orig
    return getattr(origin, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(origin)


def _sqlite_busy(error: OperationalError) -> bool:
    """SQLite refused a write because another connection holds or just took the write lock."""
    return "database is locked" in str(error.orig)


def _request_once(view: Callable[[], ResponseReturnValue], writer: bool) -> Response:
    try:
        if writer:
            begin_write()
        if request.method not in _READS:
            _require_standing()
        response = current_app.make_response(view())
        if (
            g.pop(_REFUSED_FORM, False)
            and request.method not in _READS
            and response.status_code == 200
        ):
            response.status_code = 422  # the form is not sent: see `form_refused`
    except BaseException as error:
        refusal = isinstance(error, DomainError) or (
            isinstance(error, HTTPException) and (error.code or 500) < 500
        )
        if refusal and g.get(_KEEP):
            _commit()
        else:
            db.session.rollback()
        raise
    if response.status_code < 400 or (response.status_code < 500 and g.get(_KEEP)):
        _commit()
    else:
        db.session.rollback()
    return response


_REFUSED_FORM = "terreau_form_refused"


def form_refused() -> str:
    """Said by the page itself as it shows a form's errors (`macros/forms.html`,
    `form_errors`: "The form is not sent"): a request that writes then answers 422 and keeps
    nothing, as its words say, whichever view rendered it. Returns "" (a template global)."""
    if has_request_context():
        setattr(g, _REFUSED_FORM, True)
    return ""


def _require_standing() -> None:
    """Before a write: a member who may only read right now is refused (403, the reason and
    its end date), at every door alike — unless the view is `kept_while_suspended`."""
    if request.url_rule is None:
        return  # no route (404, 405): the routing error answers
    view = current_app.view_functions.get(request.endpoint or "")
    if kept_view_reason(view, request.method) is None:
        require_standing(current_member())


class TerreauFlask(Flask):
    """The application: every view runs in one transaction (`in_request_transaction`)."""

    # Links a page builds, kept once built: a page builds twenty or more (its menu, its
    # stylesheets, a link per row), each a walk through the URL map. Kept per site root, only
    # for a page's own links: no option (anchor, method, scheme, absolute), not relative to a
    # blueprint, values that are ints or short strings only (a visitor's long `next=` on an
    # error page is not kept; `True`, `1.0` and `1` never share a link), never in debug (a
    # static file's fingerprint changes as it is edited). It assumes what `url_defaults` adds
    # depends on the endpoint and its values only (`core/frontend.py`'s fingerprint does).
    BUILT_LINKS = 8192
    KEPT_VALUE = 64  # characters

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built_links: dict[tuple[Any, ...], str] = {}

    def url_for(self, /, endpoint: str, **values: Any) -> str:
        options = {name: values.pop(name) for name in [n for n in values if n[:1] == "_"]}
        if (
            endpoint[:1] == "."
            or any(value is not None for value in options.values())
            or self.debug
            or not has_request_context()
            or not all(self._kept_value(value) for value in values.values())
        ):
            return super().url_for(endpoint, **options, **values)
        key = (request.script_root, endpoint, *sorted(values.items()))
        found = self._built_links.get(key)
        if found is None:
            found = super().url_for(endpoint, **values)
            if len(self._built_links) >= self.BUILT_LINKS:
                self._built_links.clear()
            self._built_links[key] = found
        return found

    @classmethod
    def _kept_value(cls, value: Any) -> bool:
        return type(value) is int or (type(value) is str and len(value) <= cls.KEPT_VALUE)

    def dispatch_request(self) -> ResponseReturnValue:
        return in_request_transaction(super().dispatch_request)


def require_member() -> Member:
    """The member behind this request (session or bearer token), or `Unauthenticated`."""
    member = current_member()
    if member is None:
        raise Unauthenticated(_("Please log in first."))
    return member


def form_action(
    form: FlaskForm,
    action: Callable[[], T],
    done: Callable[[T], Response],
    refusals: tuple[type[DomainError], ...] = (Invalid,),
) -> Response | None:
    """Submit `form`: None while it is not valid or when `action` refused it (its refusal is on
    the form, everything written rolled back) — the caller renders the page again; else the
    response `done(result)`, committed with the request."""
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except refusals as error:
        db.session.rollback()
        apply_errors(form, error)
        return None
    return done(result)


@contextmanager
def refusal_undone() -> Iterator[None]:
    """A step whose refusal the handler shows itself (a flash, a form error): a `DomainError`
    from it rolls back everything written, then reaches the handler's ``except``."""
    try:
        yield
    except DomainError:
        db.session.rollback()
        raise


def attempt(
    action: Callable[[], T], refusals: tuple[type[DomainError], ...] = (Invalid,)
) -> tuple[T | None, DomainError | None]:
    """Run `action()`: ``(result, None)``, or ``(None, refusal)`` with everything written
    rolled back when it raised one of `refusals` — for a refusal the page shows (a flash)."""
    try:
        return action(), None
    except refusals as error:
        db.session.rollback()
        return None, error
