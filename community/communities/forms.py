"""Forms of the communities pages (Flask-WTF, CSRF-protected)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.core.forms import as_choices, bounded_int, optional_int
from community.members.forms import CheckboxesField


class CommunityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=3, max=120)])
    slug = StringField(
        _l("Address (slug)"),
        validators=[Optional(), Length(max=80)],
        description=_l(
            "Lower-case letters, digits and dashes. Left empty, it is made from the name."
        ),
    )
    theme_id = SelectField(_l("Theme"), coerce=optional_int, validate_choice=True)
    neighbourhood_id = SelectField(
        _l("Neighbourhood (optional)"), coerce=optional_int, validate_choice=True
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    charter = TextAreaField(
        _l("Charter"),
        validators=[Length(max=20000)],
        description=_l("Simple formatting: **bold**, *italics*, a list with dashes -."),
    )
    visibility = RadioField(
        _l("Who may join"),
        choices=as_choices(
            [
                ("open", _l("Anyone, at once")),
                ("on_request", _l("On request, answered by the gardeners")),
            ]
        ),
        default="open",
    )


class JoinForm(FlaskForm):
    message = TextAreaField(
        _l("A short message for the gardeners (optional)"), validators=[Length(max=1000)]
    )
    accept_charter = BooleanField(_l("I have read and I accept the charter of this community"))


class LeaveForm(FlaskForm):
    pass


class AnswerForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=as_choices([("accept", _l("Accept")), ("refuse", _l("Refuse"))]),
        validators=[DataRequired(_l("Choose to accept or refuse."))],
    )
    answer = TextAreaField(
        _l("Answer to the member"),
        validators=[Length(max=1000)],
        description=_l("Needed when you refuse: the member reads it."),
    )


class GardenersForm(FlaskForm):
    technician_id = SelectField(
        _l("On the town's side (staff)"), coerce=optional_int, validate_choice=True
    )
    citizen_id = SelectField(
        _l("On the inhabitants' side (active member)"), coerce=optional_int, validate_choice=True
    )
    handover_note = TextAreaField(
        _l("Handover note"),
        validators=[Length(max=5000)],
        description=_l(
            "Needed when a gardener is replaced: what is under way, who to know, what was promised "
            "to inhabitants. Only the successor and staff read it."
        ),
    )


class HandoverNoteForm(FlaskForm):
    note = TextAreaField(
        _l("A note for whoever will follow you"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l(
            "What is under way, who to know, what was promised to inhabitants. "
            "Only your successor and the authority's staff will read it."
        ),
    )


class NearMeForm(FlaskForm):
    """After confirming her e-mail: where she lives and what interests her."""

    neighbourhood_id = SelectField(
        _l("My neighbourhood"), coerce=optional_int, validate_choice=True
    )
    theme_ids = CheckboxesField(_l("What interests me"), coerce=bounded_int)


class HandOverForm(FlaskForm):
    """The citizen gardener proposes her successor, who is asked before being named."""

    candidate_id = SelectField(_l("Who takes over?"), coerce=optional_int, validate_choice=True)
    handover_note = TextAreaField(
        _l("A note for your successor"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l(
            "What is under way, who to know, what was promised. "
            "Only your successor and the town's staff will read it."
        ),
    )


class ProposalAnswerForm(FlaskForm):
    decision = RadioField(
        _l("Your answer"),
        choices=as_choices([("accept", _l("I accept")), ("decline", _l("I decline"))]),
        validators=[DataRequired()],
    )
