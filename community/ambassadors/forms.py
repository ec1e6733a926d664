"""Forms of the ambassadors pages (Flask-WTF, CSRF-protected)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from community.ambassadors.models import PLACE_KINDS
from community.core.dates import BoundedDateField
from community.core.forms import (
    BoundedIntegerField,
    CheckboxesField,
    as_choices,
    bounded_int,
    optional_int,
)

PLACE_LABELS = {
    "market": _l("Market"),
    "building": _l("Foot of a building"),
    "school": _l("School gate"),
    "social_centre": _l("Social centre"),
    "event": _l("Local event"),
    "shop": _l("Shop, café"),
    "other": _l("Elsewhere"),
}


class NameForm(FlaskForm):
    member_id = SelectField(
        _l("Member"), coerce=optional_int, validate_choice=True, validators=[DataRequired()]
    )
    mission = TextAreaField(
        _l("Mission"),
        validators=[DataRequired(), Length(min=10, max=2000)],
        description=_l(
            "What you ask of the ambassador: where they go, whom they meet, what they relay."
        ),
    )


class NameForNeighbourhoodForm(FlaskForm):
    neighbourhood_id = SelectField(
        _l("Neighbourhood"), coerce=optional_int, validate_choice=True, validators=[DataRequired()]
    )
    pseudonym = StringField(
        _l("Pseudonym of the member"), validators=[DataRequired(), Length(min=3, max=40)]
    )
    mission = TextAreaField(
        _l("Mission"),
        validators=[DataRequired(), Length(min=10, max=2000)],
        description=_l(
            "What you ask of the ambassador: where they go, whom they meet, what they relay."
        ),
    )


class AnswerNominationForm(FlaskForm):
    decision = RadioField(
        _l("Your answer"),
        choices=as_choices([("accept", _l("I accept")), ("decline", _l("I decline"))]),
        validators=[DataRequired()],
    )
    shown = BooleanField(_l("Show my pseudonym on the community's public page of ambassadors"))


class ShownForm(FlaskForm):
    shown = BooleanField(_l("Show my pseudonym on the public page"))


class SimpleForm(FlaskForm):
    pass


class InvitationForm(FlaskForm):
    label = StringField(
        _l("Label (optional)"),
        validators=[Length(max=80)],
        description=_l('Where you hand it out, for instance "marché du samedi".'),
    )
    valid_days = BoundedIntegerField(
        _l("Valid for (days, optional)"), validators=[Optional(), NumberRange(min=1, max=365)]
    )


class OutreachForm(FlaskForm):
    happened_on = BoundedDateField(_l("Date of the outing"), validators=[InputRequired()])
    neighbourhood_id = SelectField(_l("Neighbourhood"), coerce=optional_int, validate_choice=True)
    place_kind = SelectField(
        _l("Kind of place"),
        choices=as_choices([(k, PLACE_LABELS[k]) for k in PLACE_KINDS]),
        validators=[DataRequired()],
    )
    people_met = BoundedIntegerField(
        _l("Number of people met"), validators=[InputRequired(), NumberRange(min=0, max=10000)]
    )
    theme_ids = CheckboxesField(_l("Themes heard"), coerce=bounded_int, validate_choice=True)
    topics = TextAreaField(
        _l("What you heard"),
        validators=[Length(max=2000)],
        description=_l("No names, no e-mail addresses, no phone numbers of the people met."),
    )
    follow_up = TextAreaField(
        _l("Follow-up wanted"),
        validators=[Length(max=2000)],
        description=_l("No names, no e-mail addresses, no phone numbers of the people met."),
    )
