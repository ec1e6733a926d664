"""The adapters' plumbing, once: one transaction per request or event, the acting member, and
the form → service → errors → redirect dance.

- `transaction()` (a context manager) and `transactional` (its decorator): commit once when
  the block or handler returns, roll back on any exception and re-raise it (Indico's
  `RH.process`). Services flush and never commit; handlers commit through this.
- `require_member()`: the member behind the request (session or bearer token), typed, or
  `Unauthenticated` (401 in every protocol).
- `form_action(form, action, done)`: a valid form runs `action()` in one transaction; an
  `Invalid` from it is shown on the form (nothing written), anything else is raised (nothing
  written); on success `done(result)` gives the response, usually a redirect.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from community.core.errors import Invalid, Unauthenticated
from community.core.forms import apply_errors
from community.core.permissions import current_member
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


def require_member() -> Member:
    """The member behind this request (session or bearer token), or `Unauthenticated`."""
    member = current_member()
    if member is None:
        raise Unauthenticated(_("Please log in first."))
    return member


def form_action(
    form: FlaskForm, action: Callable[[], T], done: Callable[[T], Response]
) -> Response | None:
    """Submit `form`: None while it is not valid or when `action` refused it (its `Invalid`
    is on the form, nothing written) — the caller renders the page again; else the response
    `done(result)` once `action()` is committed."""
    if not form.validate_on_submit():
        return None
    try:
        with transaction():
            result = action()
    except Invalid as error:
        apply_errors(form, error)
        return None
    return done(result)
