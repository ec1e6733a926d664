from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from community.core.forms import CheckboxesField, LinesField, LinesLength, bounded_int, optional_int


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Pseudonym"),
        validators=[DataRequired(), Length(min=3, max=40)],
        description=_l("The name other people see."),
    )
    neighbourhood_id = SelectField(_l("Neighbourhood"), coerce=optional_int)
    theme_ids = CheckboxesField(_l("Themes that interest me"), coerce=bounded_int)
    skills = LinesField(
        _l("What I know how to do"),
        validators=[LinesLength(max=1500)],
        description=_l("One per line: cooking, repairing bikes, speaking Arabic, gardening…"),
    )
    bio = TextAreaField(_l("A few words about me"), validators=[Length(max=1000)])
    locale = SelectField(
        _l("Language"), choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")]
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("To be sure it is really you."),
    )
    confirm = BooleanField(
        _l("I understand that my account will be deleted for good"), validators=[DataRequired()]
    )
