"""Mutual help and signal forms (Flask-WTF, CSRF-protected)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from community.core.forms import BoundedIntegerField, optional_int
from community.solidarity.labels import CONTACT_LABELS, SIGNAL_KIND_LABELS
from community.solidarity.services import MAX_AVAILABILITY, MAX_PEOPLE, MAX_TEXT


def kind_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in SIGNAL_KIND_LABELS.items()]


def contact_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in CONTACT_LABELS.items()]


class PlaceForm(FlaskForm):
    theme_id = SelectField(_l("Theme"), coerce=optional_int, validators=[InputRequired()])
    neighbourhood_id = SelectField(
        _l("Neighbourhood"), coerce=optional_int, validators=[InputRequired()]
    )


class OfferForm(PlaceForm):
    text = TextAreaField(
        _l("What I can do"),
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=_l(
            "For example: shopping for a neighbour, help with a form, a lift to the market. "
            "No phone number or e-mail."
        ),
    )
    availability = StringField(
        _l("When I am available"),
        validators=[Length(max=MAX_AVAILABILITY)],
        description=_l("For example: weekday evenings, Saturday mornings."),
    )


class RequestForm(PlaceForm):
    text = TextAreaField(
        _l("What help is needed"),
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=_l(
            "Helpers of the neighbourhood read this without your name. No phone number or e-mail."
        ),
    )
    on_behalf = BooleanField(_l("I record this request for an inhabitant who has no account"))
    oral_consent = BooleanField(
        _l("The person agreed, out loud, that I record this request; I stay their go-between"),
    )


class ProposalForm(FlaskForm):
    message = TextAreaField(
        _l("A word for the person (optional)"),
        validators=[Length(max=MAX_TEXT)],
        description=_l("Your pseudonym is shown with your offer. No phone number or e-mail."),
    )


class ExchangeMessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=MAX_TEXT)])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class SignalForm(PlaceForm):
    kind = SelectField(_l("Kind of solidarity"), validators=[DataRequired()])
    people = BoundedIntegerField(
        _l("About how many people it involves"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_PEOPLE)],
    )
    contact = RadioField(_l("Do its people want to be contacted?"), validators=[DataRequired()])
    text = TextAreaField(
        _l("What you have seen"),
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=_l(
            "For example: neighbours do the shopping for an elderly person in a residence. "
            "No names, no phone numbers, no e-mails."
        ),
    )
