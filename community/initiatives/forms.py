"""HTML forms for initiatives (Flask-WTF, CSRF-protected); the services do the real checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from community.core.forms import (
    CheckboxesField,
    LinesField,
    LinesLength,
    as_choices,
    bounded_int,
    optional_int,
)
from community.initiatives.labels import REASON_LABELS, SORT_LABELS, STATUS_LABELS

choices = as_choices  # kept for the initiatives views


class _LazyChoices:
    """Choices with lazy labels, translated when the form is shown."""

    def __init__(self, *pairs: object) -> None:
        self.pairs = pairs

    def __call__(self) -> list[SelectChoice]:
        return [SelectChoice(value, str(label)) for value, label in self.pairs]  # type: ignore[has-type,misc]


class InitiativeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=3, max=160)])
    summary = TextAreaField(
        _l("In a few words"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("What it is about, in one or two sentences."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=10_000)],
        description=_l("Optional. Simple formatting: **bold**, a list with dashes -, links."),
    )
    theme_ids = CheckboxesField(_l("Themes"), coerce=bounded_int)
    neighbourhood_id = SelectField(_l("Neighbourhood"), coerce=optional_int)
    community = SelectField(
        _l("Community"),
        description=_l("Leave empty for a spontaneous initiative, outside any community."),
    )
    needs = LinesField(
        _l("What is needed"),
        validators=[LinesLength(max=2_000)],
        description=_l("One per line: skills, materials, a place…"),
    )


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"))
    answer = TextAreaField(
        _l("Public answer"),
        validators=[Length(max=4_000)],
        description=_l("Everyone will read it. Required to decline."),
    )
    reason = SelectField(
        _l("Reason for a refusal"),
        choices=_LazyChoices(("", _l("— Only for a refusal —")), *REASON_LABELS.items()),
        validators=[Optional()],
    )


class VolunteerForm(FlaskForm):
    message = TextAreaField(
        _l("What I can bring (optional)"),
        validators=[Length(max=1_000)],
        description=_l("Only the author and the gardeners will read it."),
    )


class StoryForm(FlaskForm):
    body = TextAreaField(_l("What happened?"), validators=[DataRequired(), Length(max=4_000)])
    photo = FileField(_l("A photo (optional)"), description=_l("JPEG, PNG or WebP, at most 5 MB."))


class BrowseForm(FlaskForm):
    """The filters of the list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Length(max=200)])
    theme_id = SelectField(_l("Theme"), coerce=optional_int, validate_choice=False)
    neighbourhood_id = SelectField(_l("Neighbourhood"), coerce=optional_int, validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=_LazyChoices(("", lazy_pgettext("status filter", "All")), *STATUS_LABELS.items()),
        validate_choice=False,
    )
    community = SelectField(_l("Community"), validate_choice=False)
    kind = SelectField(
        _l("Kind"),
        choices=_LazyChoices(
            ("", lazy_pgettext("kind filter", "All")),
            ("informal", _l("Informal (already running)")),
            ("spontaneous", _l("Spontaneous (no community)")),
        ),
        validate_choice=False,
    )
    sort = SelectField(
        _l("Sort"), choices=_LazyChoices(*SORT_LABELS.items()), validate_choice=False
    )
