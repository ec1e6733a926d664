"""Helpers shared by the HTML forms.

Numbers a form reads are bounded like every other door's (`core/edge.py`): what no column can
hold is a field error, never a query that overflows (`/report?target_id=1180591620717411303424`
was a 500). `BoundedIntegerField` for a typed number, `bounded_int` and `optional_int` as the
`coerce` of a choice; `tests/core/test_forms.py` walks every form for an `IntegerField` or an
`int` coerce that is not one of these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from community.core.edge import out_of_range
from community.core.errors import DomainError


def bounded_int(value: object) -> int:
    """A choice's value as an int a column can hold (`ValueError` otherwise: the choice is
    not valid)."""
    number = int(value)  # type: ignore[call-overload]
    if out_of_range(number):
        raise ValueError("out of range")
    return number


def optional_int(value: object) -> int | None:
    """A select's value as an int, or None for its empty choice."""
    return bounded_int(value) if value not in (None, "", "None") else None


class BoundedIntegerField(IntegerField):
    """An `IntegerField` that holds only what a column can (else "Number too large.", and no
    data: a view that reads it before validating gets None)."""

    data: int | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and out_of_range(self.data):
            self.data = None
            raise ValueError(_l("Number too large."))


class LinesField(TextAreaField):
    """A list of short texts typed one per line (a member's skills, an initiative's needs):
    `data` is a list of stripped non-empty lines, filled from the request or from the edited
    object alike — a request that leaves the field out keeps the object's list, never a list
    where text was expected (`tests/core/test_forms.py` asks it of every field named after a
    list column)."""

    data: list[str]

    def process_data(self, value: Any) -> None:
        self.data = [str(item) for item in value] if isinstance(value, (list, tuple)) else []

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            self.data = [line.strip() for line in str(valuelist[0]).splitlines() if line.strip()]

    def _value(self) -> str:
        return "\n".join(self.data or [])


class LinesLength(Length):
    """`Length` of a `LinesField`'s text as typed (its lines joined), not of its list."""

    def __call__(self, form: Any, field: Any) -> None:
        super().__call__(form, _AsText(field))


class _AsText:
    """A `LinesField` seen by a text validator: its `data` is the text, the rest is the field."""

    def __init__(self, field: LinesField) -> None:
        self._field = field
        self.data = field._value()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._field, name)


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def apply_errors(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal (`Invalid`, `Conflict`…) on the form: on each named field,
    else on the whole form."""
    placed = False
    for name, messages in (error.errors or {}).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + list(messages)
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def as_choices(pairs: Iterable[Any]) -> list[SelectChoice]:
    """WTForms choices from `SelectChoice`s or (value, label) pairs (tuples are deprecated)."""
    return [pair if isinstance(pair, SelectChoice) else SelectChoice(*pair) for pair in pairs]
