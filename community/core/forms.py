"""Helpers shared by the HTML forms."""

from __future__ import annotations

from flask_wtf import FlaskForm

from community.core.errors import Invalid


def apply_errors(form: FlaskForm, error: Invalid) -> None:
    """Show a service's `Invalid` on the form: on each named field, else on the whole form."""
    placed = False
    for name, messages in (error.errors or {}).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + list(messages)
            placed = True
    if not placed:
        form.form_errors.append(error.message)
