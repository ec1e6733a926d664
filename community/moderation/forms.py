from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from community.core.dates import BoundedDateField
from community.core.forms import BoundedIntegerField

REASON_CHOICES = [
    SelectChoice("insult", _l("Insult")),
    SelectChoice("harassment", _l("Harassment")),
    SelectChoice("spam", _l("Spam or advertising")),
    SelectChoice("personal_data", _l("Personal data (address, phone…)")),
    SelectChoice("off_charter", _l("Against the charter")),
    SelectChoice("other", _l("Something else")),
]
ACTION_CHOICES = [
    SelectChoice("dismiss", _l("Dismiss: nothing wrong")),
    SelectChoice("hide", _l("Hide the content")),
    SelectChoice("restore", _l("Restore the content")),
    SelectChoice("warn", _l("Warn the member")),
    SelectChoice("suspend", _l("Suspend the member")),
]
SCOPE_CHOICES = [
    SelectChoice("community", _l("From this community")),
    SelectChoice("platform", _l("From the whole platform (staff only)")),
]


class ReportForm(FlaskForm):
    target_type = HiddenField(validators=[DataRequired()])
    target_id = BoundedIntegerField(validators=[DataRequired()])
    reason = RadioField(_l("What is wrong?"), choices=REASON_CHOICES, validators=[DataRequired()])
    text = TextAreaField(
        _l("A few words for the moderators (optional)"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Your name is never shown to the person you report."),
    )


class ContestForm(FlaskForm):
    text = TextAreaField(
        _l("Why should it be shown again?"),
        validators=[DataRequired(), Length(min=10, max=1000)],
        description=_l("Staff of the town read it, not the gardeners who hid it."),
    )


class ResolveForm(FlaskForm):
    action = RadioField(
        _l("What do you decide?"), choices=ACTION_CHOICES, validators=[DataRequired()]
    )
    reason = TextAreaField(
        _l("Reason, sent to the member concerned"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Required to hide, warn or suspend. Be factual and polite."),
    )
    until = BoundedDateField(
        _l("Suspended until (included)"),
        validators=[Optional()],
        description=_l("For a suspension, choose a date or tick “without end date”."),
    )
    # A suspension without end date is chosen, never a silent default.
    no_end = BooleanField(_l("Without end date"))
    scope = SelectField(_l("Suspension"), choices=SCOPE_CHOICES, default="community")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.action.data == "suspend" and not self.until.errors:
            if self.until.data is None and not self.no_end.data:
                self.until.errors = [_l("Choose an end date, or tick “without end date”.")]
                return False
            if self.until.data is not None and self.no_end.data:
                self.until.errors = [_l("Choose an end date or “without end date”, not both.")]
                return False
        return valid

    def until_datetime(self) -> datetime | None:
        """The end of the chosen day, in the authority's time zone."""
        day: date | None = self.until.data
        if day is None:
            return None
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


class LiftForm(FlaskForm):
    reason = TextAreaField(
        _l("A word for the member (optional)"), validators=[Optional(), Length(max=1000)]
    )
