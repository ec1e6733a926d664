"""marshmallow's validation messages, in the language of the request.

Plain messages ("Unknown field.") are translated where API errors are answered
(`translate_errors`); messages that marshmallow formats with values ("Length must be between
{min} and {max}.") are translated before formatting, by the validators patched below. The
English texts are listed here so that the catalog extractor finds them.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from marshmallow import validate


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here."""
    return message


MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
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
)


def translate_errors(errors: Any) -> Any:
    """The same error structure with every message in the current language."""
    if isinstance(errors, str):
        return gettext(errors)
    if isinstance(errors, dict):
        return {key: translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, (list, tuple)):
        return [translate_errors(value) for value in errors]
    return errors


def _patch_validators() -> None:
    length_format = validate.Length._format_error

    def length_error(self: validate.Length, value: Any, message: str) -> str:
        return length_format(self, value, gettext(message))

    def one_of_error(self: validate.OneOf, value: Any) -> str:
        return gettext(self.error).format(
            input=value, choices=self.choices_text, labels=self.labels_text
        )

    validate.Length._format_error = length_error  # type: ignore[method-assign]
    validate.OneOf._format_error = one_of_error  # type: ignore[method-assign]


_patch_validators()
