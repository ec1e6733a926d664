"""One marshmallow input schema per action, the same at every door.

An action's input schema (`<domain>/schemas.py`, named `…Input`) says once what a field must
be and what to tell whoever gets it wrong. The API loads it with `@blp.arguments(…)`, the
socket `event(name, schema=…)` wrapper (`core/sockets.py`) before the handler, and the
service behind the HTML form (and behind every door) with `load_input`: the same French
message for the same mistake, whichever way it came.

Validators that answer in words call `gettext` when they run (`require_text`,
`length_between`), so that the message is in the language of the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from community.core.errors import Invalid
from community.core.validation import translate_errors


def load_input(schema: Schema, data: Mapping[str, Any], **options: Any) -> dict[str, Any]:
    """`data` as `schema` loads it, or `Invalid` ("Some fields are not valid.") with the
    schema's messages by field, in the language of the request."""
    try:
        loaded: dict[str, Any] = schema.load(data, **options)
    except ValidationError as error:
        raise Invalid(
            _("Some fields are not valid."), translate_errors(error.normalized_messages())
        ) from None
    return loaded


def require_text(message: Callable[[], str]) -> Callable[[Any], None]:
    """A validator refusing blank text with `message()` (a line of `gettext`)."""

    def check(value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(message())

    return check


def length_between(low: int, high: int, message: Callable[[], str]) -> Callable[[Any], None]:
    """A validator refusing text shorter than `low` or longer than `high` with `message()`."""

    def check(value: Any) -> None:
        if not low <= len(value) <= high:
            raise ValidationError(message())

    return check
