"""HTML forms for rencontres (Flask-WTF, CSRF-protected); the services do the real checks.

Dates are typed as wall-clock times in Paris (`datetime-local`), converted to UTC by the view.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from community.core.dates import BoundedDateTimeLocalField
from community.core.forms import BoundedIntegerField, optional_int

FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=3, max=160)])
    starts_at = BoundedDateTimeLocalField(
        _l("Starts"), format=FORMAT, validators=[DataRequired()], description=_l("Paris time.")
    )
    ends_at = BoundedDateTimeLocalField(
        _l("Ends"), format=FORMAT, validators=[DataRequired()], description=_l("Paris time.")
    )
    place = StringField(
        _l("Place"),
        validators=[Length(max=200)],
        description=_l("An address, or where to meet: “in front of the town hall”."),
    )
    neighbourhood_id = SelectField(_l("Neighbourhood"), coerce=optional_int)
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=10_000)],
        description=_l("Optional. Simple formatting: **bold**, a list with dashes -, links."),
    )
    capacity = BoundedIntegerField(
        _l("Number of places"),
        validators=[Optional(), NumberRange(min=1, max=10_000)],
        description=_l("Leave empty for no limit. Past it, people join a waiting list."),
    )
    initiative_id = SelectField(_l("Initiative"), coerce=optional_int)
    accepts_guests = BooleanField(
        _l("People without an account may register (pseudonym and e-mail)")
    )
    repeat = BoundedIntegerField(
        _l("Repeat every week"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=52)],
        description=_l("How many rencontres in all, one a week (1 = just this one)."),
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it cancelled?"),
        validators=[DataRequired(), Length(min=3, max=1_000)],
        description=_l("Everyone registered will read it."),
    )


class ActionForm(FlaskForm):
    """A button that changes something (register, give one's place back, confirm)."""


class GuestForm(FlaskForm):
    display_name = StringField(
        _l("Pseudonym"),
        validators=[DataRequired(), Length(min=3, max=40)],
        description=_l("Shown to the organisers only."),
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("Used for this rencontre only, and erased after it."),
    )


class CheckinForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("The code under the person's QR code, for example 12-ABCDEFGH."),
    )


class ReportForm(FlaskForm):
    body = TextAreaField(
        # The section's heading says "Compte rendu": the label says what to write.
        _l("What was said and decided at the rencontre"),
        validators=[DataRequired(), Length(max=20_000)],
        description=_l("Sent to those who came. Simple formatting allowed."),
    )
