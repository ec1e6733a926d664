"""Sign-up, login and password forms (Flask-WTF, CSRF-protected)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from community.core.forms import optional_int


class SignupForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(
        _l("Pseudonym"),
        validators=[DataRequired(), Length(min=3, max=40)],
        description=_l("The name other people see. Not your e-mail."),
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    neighbourhood_id = SelectField(
        _l("Neighbourhood (optional)"), coerce=optional_int, validate_choice=True
    )
    accept_charter = BooleanField(
        _l("I have read and I accept the charter of the platform"),
        validators=[DataRequired(message=_l("Tick this box to accept the charter."))],
    )
    invitation = HiddenField(validators=[Length(max=64)])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Stay logged in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ConfirmForm(FlaskForm):
    password = PasswordField(
        _l("The password you chose at sign-up"),
        validators=[DataRequired(), Length(max=200)],
    )
