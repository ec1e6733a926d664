from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields import SelectChoice

FREQUENCY_CHOICES = [
    SelectChoice("immediate", _l("Right away, one e-mail per notification")),
    SelectChoice("daily", _l("Once a day, a summary (recommended)")),
    SelectChoice("weekly", _l("Once a week, a summary")),
    SelectChoice("none", _l("Never: I will look on the site")),
]


class PreferenceForm(FlaskForm):
    email_frequency = RadioField(_l("E-mails about my notifications"), choices=FREQUENCY_CHOICES)


class EmptyForm(FlaskForm):
    """A form with only its CSRF token (buttons that change something)."""
