"""The thread forms: they work without JavaScript; the live script enhances the message form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.threads.models import MAX_BODY_LENGTH, MAX_CLIENT_ID_LENGTH

# The rules of a message and of a title are their input schemas' (`threads/schemas.py`),
# applied by the service behind these forms: the page says what the API and the socket say.
# The forms keep the browser's hints only.
_BODY_HINTS = {"required": True, "maxlength": MAX_BODY_LENGTH}


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        render_kw=_BODY_HINTS,
        description=_l(
            "Simple formatting: **bold**, a list with dashes -. "
            "To tell someone, write @ and their pseudonym."
        ),
    )
    # Generated with the page: sending the form twice stores the message once.
    client_id = HiddenField(validators=[Optional(), Length(max=MAX_CLIENT_ID_LENGTH)])
    reply_to = HiddenField(validators=[Optional()])


class EditForm(FlaskForm):
    body = TextAreaField(_l("Your message"), render_kw=_BODY_HINTS)


class ReasonForm(FlaskForm):
    reason = StringField(
        _l("Reason"), validators=[DataRequired(_l("Give a reason.")), Length(max=500)]
    )


class ThreadForm(FlaskForm):
    title = StringField(
        _l("Title of the topic"), render_kw={"required": True, "minlength": 3, "maxlength": 160}
    )


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""
