"""Helpers shared by the HTML forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from community.core.errors import DomainError


def optional_int(value: object) -> int | None:
    """A select's value as an int, or None for its empty choice."""
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


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
