"""marshmallow's validation messages, in the language of the request: the one place.

Every message a field gives goes through `Field.make_error`, and every message a validator
gives through its `_format_error`: both are wrapped here (at import, before any request) so
that the English text is translated *before* its values are put in ("Must be greater than or
equal to {min}." → "Doit être supérieur ou égal à {min}."). marshmallow builds some texts
from English words ("Not a valid {awareness} {obj_type}."): those words are put in first, so
that each message is one whole sentence to translate ("Not a valid aware datetime."). A
translation that names a value the message does not have falls back to English, never to a
500. The schema's own messages ("Unknown field.") and webargs' ("Invalid JSON body.") are
stored as they are and translated where errors are answered (`translate_errors`: the API's
error handler, `core.inputs.load_input` behind the pages and the sockets).

`MESSAGES` lists the English texts for the catalog extractor. `english_messages()` walks
marshmallow's classes (and those of flask-smorest, webargs and Terreau) for every message
they can give: a test fails when one of them is not in `MESSAGES` or has no French — for
instance after an upgrade of marshmallow.
"""

from __future__ import annotations

import copy
import functools
import string
from collections.abc import Callable
from typing import Any

from flask_babel import gettext
from marshmallow import Schema, ValidationError, fields, validate


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here."""
    return message


MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid delimited list."),
    N_("Not a valid delimited tuple."),
    N_("Not a valid date."),
    N_("Not a valid time."),
    N_("Not a valid datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid naive datetime."),
    N_('"{input}" cannot be formatted as a date.'),
    N_('"{input}" cannot be formatted as a time.'),
    N_('"{input}" cannot be formatted as a datetime.'),
    N_("Not a valid period of time."),
    N_("{input!r} cannot be formatted as a timedelta."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("Not a valid IP address."),
    N_("Not a valid IPv4 address."),
    N_("Not a valid IPv6 address."),
    N_("Not a valid IP interface."),
    N_("Not a valid IPv4 interface."),
    N_("Not a valid IPv6 interface."),
    N_("Invalid type."),
    N_("Not a valid mapping type."),
    N_("Invalid input type."),
    N_("Unknown field."),
    N_("Invalid JSON body."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Must be one of: {choices}."),
    N_("Must be equal to {other}."),
    N_("String does not match expected pattern."),
    N_("One or more of the choices you made was not in: {choices}."),
    N_("One or more of the choices you made was in: {values}."),
    N_("Must be greater than {min}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be less than {max}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
)

# The English words marshmallow puts in its own texts (`DateTime.OBJ_TYPE`, `AWARENESS`).
_WORDS = ("obj_type", "awareness")


class _Keep(dict[str, str]):
    """Put in the words given, leave every other `{name}` as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _names(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return set()


def _sentence(template: str, words: dict[str, Any]) -> str:
    """`template` with marshmallow's English words in, its values still to come."""
    if not _names(template) & set(_WORDS):
        return template
    return template.format_map(_Keep({k: str(v) for k, v in words.items() if k in _WORDS}))


def _translated(template: str, **values: Any) -> str:
    """`template` in the language of the request, then its values put in (in English when a
    translation names a value the message does not have)."""
    english = _sentence(template, values)
    try:
        return gettext(english).format(**values)
    except (KeyError, IndexError, ValueError):
        return english.format(**values)


def translate_errors(errors: Any) -> Any:
    """The same error structure with every message in the current language."""
    if isinstance(errors, str):
        return gettext(errors)
    if isinstance(errors, dict):
        return {key: translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, (list, tuple)):
        return [translate_errors(value) for value in errors]
    return errors


# --- the wrapping -------------------------------------------------------------------------


def _subclasses(cls: type) -> set[type]:
    found: set[type] = {cls}
    sub: type
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def _make_error(original: Callable[..., ValidationError]) -> Callable[..., ValidationError]:
    @functools.wraps(original)
    def make_error(self: fields.Field, key: str, **values: Any) -> ValidationError:
        template = self.error_messages.get(key)
        if not isinstance(template, str):
            return original(self, key, **values)  # a missing key or a message that is data
        return ValidationError(_translated(template, **values))

    make_error._terreau = True  # type: ignore[attr-defined]
    return make_error


def _format_error(original: Callable[..., str]) -> Callable[..., str]:
    """A validator's `_format_error` that translates its text (`self.error`, or the text given:
    `Length`, `Range`) before the values go in. The validator itself is shared by every
    request: the translated text goes on a copy."""

    @functools.wraps(original)
    def format_error(self: validate.Validator, value: Any, *message: Any) -> str:
        mine = copy.copy(self)
        if isinstance(getattr(self, "error", None), str):
            mine.error = gettext(self.error)
        translated = tuple(gettext(m) if isinstance(m, str) else m for m in message)
        try:
            return original(mine, value, *translated)
        except (KeyError, IndexError, ValueError):
            return original(self, value, *message)

    format_error._terreau = True  # type: ignore[attr-defined]
    return format_error


def install() -> None:
    """Wrap `Field.make_error` and every validator's `_format_error` (once)."""
    if not getattr(fields.Field.make_error, "_terreau", False):
        fields.Field.make_error = _make_error(fields.Field.make_error)  # type: ignore[method-assign]
    for cls in _subclasses(validate.Validator):
        own = cls.__dict__.get("_format_error")
        if own is not None and not getattr(own, "_terreau", False):
            cls._format_error = _format_error(own)  # type: ignore[attr-defined]


install()


# --- the inventory ------------------------------------------------------------------------


def english_messages() -> list[str]:
    """Every English message marshmallow's fields, schemas and validators (those loaded:
    marshmallow's, flask-smorest's, webargs', Terreau's) can give, as the catalog has them."""
    found: set[str] = set(Schema._default_error_messages.values())
    for cls in _subclasses(fields.Field):
        merged: dict[str, Any] = {}
        for base in reversed(cls.__mro__):
            merged.update(getattr(base, "default_error_messages", {}))
        words = {w: getattr(cls, w.upper()) for w in _WORDS if hasattr(cls, w.upper())}
        for template in merged.values():
            if isinstance(template, str):
                sentence = _sentence(template, words)
                if not _names(sentence) & set(_WORDS):  # else this class never gives it
                    found.add(sentence)
    for cls in _subclasses(validate.Validator):
        for name in (
            "default_message",
            "message_min",
            "message_max",
            "message_all",
            "message_equal",
        ):
            text = cls.__dict__.get(name)
            if isinstance(text, str) and not issubclass(cls, validate.Range):
                found.add(text)
    for low in (True, False):  # Range writes its texts from its bounds, when it is made
        for high in (True, False):
            bounds = validate.Range(min=0, max=1, min_inclusive=low, max_inclusive=high)
            found.update((bounds.message_min, bounds.message_max, bounds.message_all))
    return sorted(found)
