"""Forms of the questionnaires (Flask-WTF, CSRF-protected). The answering form itself is built
from the questions (see `views.given_from_form`); its CSRF token comes from `SimpleForm`."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.core.dates import BoundedDateField
from community.core.forms import as_choices
from community.questionnaires.questions import MAX_LABEL
from community.questionnaires.services import MAX_FOLLOW_UP, MAX_INTRO, MAX_TITLE

KIND_LABELS = {
    "single": _l("One answer among several"),
    "multiple": _l("Several answers possible"),
    "scale": _l("A mark from 1 to 5"),
    "number": _l("A number"),
    "short_text": _l("A short text"),
    "long_text": _l("A longer text"),
}
AUDIENCE_LABELS = {
    "anyone": _l("Anyone, without an account"),
    "members": _l("Members of the community only"),
}
CHANNEL_LABELS = {
    "web": _l("On the web"),
    "paper": _l("Paper copy"),
    "ambassador": _l("Asked in person"),
}


class SimpleForm(FlaskForm):
    pass


class DetailsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    intro = TextAreaField(
        _l("A few words to introduce it"),
        validators=[Length(max=MAX_INTRO)],
        description=_l("Say why you ask, and what you will do with the answers."),
    )
    audience = SelectField(_l("Who may answer"))
    opens_at = BoundedDateField(_l("Opens on (optional)"), validators=[Optional()])
    closes_at = BoundedDateField(_l("Closes on (optional)"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audience.choices = as_choices((k, str(v)) for k, v in AUDIENCE_LABELS.items())


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of answer"))
    label = StringField(_l("The question"), validators=[DataRequired(), Length(max=MAX_LABEL)])
    options = TextAreaField(
        _l("Possible answers, one per line"),
        description=_l("Only for questions with one or several answers among a list."),
    )
    required = BooleanField(_l("An answer is required"))
    # Checked by the service (a position it can refuse), so any value may come back.
    condition = SelectField(_l("Ask this question only if"), validate_choice=False)

    def __init__(self, *args: Any, conditions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = as_choices((k, str(v)) for k, v in KIND_LABELS.items())
        self.condition.choices = as_choices(conditions)


class RecordForm(FlaskForm):
    channel = SelectField(_l("How the answers were collected"))
    consent = BooleanField(
        _l("The person agreed out loud that I record their answers (nothing about them is kept)"),
        description=_l("Only for answers asked in person. Not needed for a paper copy."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = as_choices(
            (k, str(CHANNEL_LABELS[k])) for k in ("paper", "ambassador")
        )


class FollowUpForm(FlaskForm):
    body = TextAreaField(
        _l("What we did with your answers"),
        validators=[DataRequired(), Length(max=MAX_FOLLOW_UP)],
        description=_l("Members who answered are told. Plain words, please."),
    )
