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
from wtforms import IntegerField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

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
