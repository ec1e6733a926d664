"""Input at the edge: what no field of Terreau can hold is refused before any view runs.

- Integers are bounded by the schema (`INT_MAX`, PostgreSQL's `integer`): a route's
  `<int:…>` beyond it does not match (404), a marshmallow `Integer` beyond it is a field
  error (422), a socket payload's id beyond it an error acknowledgement.
- NUL and control characters (all of C0 but tab, line feed and carriage return, and DEL) are
  refused in every text a request stores — form, JSON body, path, socket payload — with a 400
  in the one error shape or an error ack (PostgreSQL cannot store a NUL; none of them is typed
  by a person), and stripped from query strings (a search, a filter: read, never stored).
- Lone UTF-16 surrogates (a JSON `"\\ud800"`: no UTF-8 form, no driver can store one) are
  refused like control characters, at the same doors.
- A JSON body the decoder cannot read — nested past the recursion limit, an integer past the
  interpreter's digit limit — is a malformed body (400), the same for Flask's `get_json`, the
  API's argument parser (`EdgeParser`) and the character check (`loads_json`).
- `as_id(value)` is an id a row may have, or None: every loader of an id (`readable_message`,
  `readable_initiative`, `load_target`…) asks it first, so what no row can have is "not found".
- `single_line(text)` collapses line breaks and runs of spaces: titles and mail subjects.
"""

from __future__ import annotations

import json
import re
from typing import Any

import flask
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_smorest.arguments import ArgumentsMixin
from marshmallow import fields
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from community.core.errors import html_error, json_error, wants_json

INT_MAX = 2**31 - 1
# C0 but tab, line feed and carriage return; DEL; lone surrogates (a decoded JSON string holds
# a surrogate only when it came unpaired: a pair becomes one code point).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def loads_json(data: str | bytes, **kwargs: Any) -> Any:
    """`json.loads`, but whatever the decoder cannot read is a `JSONDecodeError` (a malformed
    body, 400): nesting past the recursion limit, an integer past the digit limit."""
    try:
        return json.loads(data, **kwargs)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as error:
        # `doc` not empty: webargs reads an empty one as "no body".
        raise json.JSONDecodeError(f"unreadable JSON ({type(error).__name__})", "-", 0) from None


class EdgeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading bodies with `loads_json` (`request.get_json` answers 400)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_json(s, **kwargs)


class EdgeParser(FlaskParser):
    """The API's argument parser (flask-smorest's `@blp.arguments`), reading bodies with
    `loads_json`: what it cannot read is webargs' invalid-JSON 400."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return webargs_core.missing
        data = req.get_data(cache=True)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError("not UTF-8", "-", 0) from error
        return loads_json(text)


# Every flask-smorest Blueprint parses its arguments with it (one place, every endpoint).
ArgumentsMixin.ARGUMENTS_PARSER = EdgeParser()


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that matches only what an id column can hold (1 … INT_MAX by default)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


def has_control_characters(value: Any) -> bool:
    """True if `value` (a string, or lists and dicts of them, keys included) holds a NUL or
    another control character."""
    if isinstance(value, str):
        return _CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_control_characters(item) for item in value)
    return False


def out_of_range(value: Any) -> bool:
    """True if `value` holds an integer no column can store (nested lists and dicts too)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -INT_MAX - 1 <= value <= INT_MAX
    if isinstance(value, dict):
        return any(out_of_range(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(out_of_range(item) for item in value)
    return False


def as_id(value: object) -> int | None:
    """`value` as a row id a column can hold (an `int` from 1 to `INT_MAX`, never a bool), or
    None: what every loader of an id asks first, so an id no row can have is "not found" —
    never an overflow in the database driver (a form's digits, a JSON number, a socket's)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= INT_MAX else None


def int_arg(name: str) -> int | None:
    """A query-string id (1 … INT_MAX), or None when absent, not a number or out of range."""
    value = request.args.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= INT_MAX else None


def single_line(text: str) -> str:
    """One line: line breaks (any Unicode one) and runs of spaces become one space."""
    return " ".join((text or "").split())


def _strip_query(value: str) -> str:
    return _CONTROL.sub("", value)


def refused_characters() -> str:
    """What every door answers to a control character (a page, the API, a socket)."""
    return _("What you sent holds characters that are not allowed (control characters).")


def _refuse_bad_characters() -> Any:

    args = list(request.args.items(multi=True))
    if has_control_characters(args):
        # A query string (a search, a filter) is read, not stored: strip, and answer.
        request.args = ImmutableMultiDict(
            [(_strip_query(key), _strip_query(value)) for key, value in args]
        )
    texts: list[Any] = [request.path]
    if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        texts.append(list(request.form.items(multi=True)))
    if request.is_json:
        texts.append(request.get_json(silent=True))
    if not any(has_control_characters(text) for text in texts):
        return None
    message = refused_characters()
    if wants_json():
        return json_error(400, message)
    return html_error(400, message)


def _bound_integer_fields() -> None:
    """Every marshmallow `Integer` refuses what no column can hold (one place, every schema)."""
    validated = fields.Integer._validated

    def bounded(self: fields.Integer, value: Any) -> int:
        number = validated(self, value)
        if out_of_range(number):
            raise self.make_error("too_large", input=value)
        return number

    fields.Integer._validated = bounded  # type: ignore[method-assign]


_bound_integer_fields()


def init_edge(app: Flask) -> None:
    """Install the bounded `int` converter, the JSON reader and the character check (before
    blueprints)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = EdgeJSONProvider(app)
    app.before_request(_refuse_bad_characters)
