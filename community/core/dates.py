"""Dates and times typed by people: one bounded input, at every door.

A date a person types (a questionnaire's closing, the end of a suspension, a rencontre, an
outing) lies between `EARLIEST` and `YEARS_AHEAD` years after today: Terreau has nothing
before 2000, and nothing is planned further ahead (a longer suspension is "without end
date"). Outside those bounds a date is a field error in plain words — not a value that
breaks a page later (a closing date in 9999 made the questionnaires' list a 500 for everyone:
Paris time is past the year 9999).

- `BoundedDateTime`, `BoundedAwareDateTime`, `BoundedDate`: the marshmallow fields (API,
  sockets, `load_input`);
- `BoundedDateField`, `BoundedDateTimeLocalField`: the WTForms fields (HTML forms), which also
  give the browser's date picker its `min` and `max`.

A use may be narrower (`years_ahead=`), never wider; its service may check more (a rencontre
at most two years ahead, an outing not in the future). `tests/core/test_dates.py` walks every
schema and form and fails on a date field that is not one of these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields
from wtforms import DateField, DateTimeLocalField
from wtforms.validators import StopValidation

from community.core.jinja import day

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10


def latest(years_ahead: int = YEARS_AHEAD, today: date | None = None) -> date:
    """The last day a person may type: `years_ahead` years after today."""
    today = today or datetime.now(UTC).date()
    try:
        return today.replace(year=today.year + years_ahead)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years_ahead, day=28)


def within(value: date | datetime, years_ahead: int = YEARS_AHEAD) -> bool:
    """Is `value` between EARLIEST and `years_ahead` years from today (a naive datetime is
    read as UTC; one that no time zone can convert is out)?"""
    if isinstance(value, datetime):
        try:
            moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        except OverflowError:
            return False
        low = datetime.combine(EARLIEST, time.min, tzinfo=UTC)
        high = datetime.combine(latest(years_ahead), time.max, tzinfo=UTC)
        return low <= moment <= high
    return EARLIEST <= value <= latest(years_ahead)


def out_of_bounds(years_ahead: int = YEARS_AHEAD) -> str:
    """What to tell whoever typed a date out of bounds, in the request's language."""
    return _(
        "Choose a date between %(start)s and %(end)s.",
        start=day(EARLIEST),
        end=day(latest(years_ahead)),
    )


class _Bounded:
    """The bound shared by the marshmallow fields (mixed in before the field class)."""

    years_ahead: int

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        try:
            result = super()._deserialize(value, attr, data, **kwargs)  # type: ignore[misc]
        except OverflowError:
            raise ValidationError(out_of_bounds(self.years_ahead)) from None
        if not within(result, self.years_ahead):
            raise ValidationError(out_of_bounds(self.years_ahead))
        return result


class BoundedDateTime(_Bounded, fields.DateTime):
    """A datetime (naive or aware, as `fields.DateTime`) within the bounds."""

    def __init__(self, *args: Any, years_ahead: int = YEARS_AHEAD, **kwargs: Any) -> None:
        self.years_ahead = min(years_ahead, YEARS_AHEAD)
        super().__init__(*args, **kwargs)


class BoundedAwareDateTime(_Bounded, fields.AwareDateTime):
    """An aware datetime (naive ones read in `default_timezone`) within the bounds."""

    def __init__(self, *args: Any, years_ahead: int = YEARS_AHEAD, **kwargs: Any) -> None:
        self.years_ahead = min(years_ahead, YEARS_AHEAD)
        super().__init__(*args, **kwargs)


class BoundedDate(_Bounded, fields.Date):
    """A day within the bounds."""

    def __init__(self, *args: Any, years_ahead: int = YEARS_AHEAD, **kwargs: Any) -> None:
        self.years_ahead = min(years_ahead, YEARS_AHEAD)
        super().__init__(*args, **kwargs)


class _BoundedFormField:
    """The bound shared by the WTForms fields: checked before the field's validators, and
    given to the browser as the input's `min` and `max`."""

    years_ahead: int
    html_format: str
    data: Any
    render_kw: dict[str, Any] | None

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not within(self.data, self.years_ahead):
            self.data = None  # nothing downstream sees it; the chain (DataRequired…) is skipped
            raise StopValidation(out_of_bounds(self.years_ahead))

    def __call__(self, **kwargs: Any) -> Any:
        kwargs.setdefault("min", datetime.combine(EARLIEST, time.min).strftime(self.html_format))
        high = datetime.combine(latest(self.years_ahead), time(23, 59))
        kwargs.setdefault("max", high.strftime(self.html_format))
        return super().__call__(**kwargs)  # type: ignore[misc]


class BoundedDateField(_BoundedFormField, DateField):
    """`<input type="date">` within the bounds."""

    html_format = "%Y-%m-%d"

    def __init__(self, *args: Any, years_ahead: int = YEARS_AHEAD, **kwargs: Any) -> None:
        self.years_ahead = min(years_ahead, YEARS_AHEAD)
        kwargs.setdefault("invalid_value_message", _l("Not a valid date."))
        super().__init__(*args, **kwargs)


class BoundedDateTimeLocalField(_BoundedFormField, DateTimeLocalField):
    """`<input type="datetime-local">` (a wall-clock time) within the bounds."""

    html_format = "%Y-%m-%dT%H:%M"

    def __init__(self, *args: Any, years_ahead: int = YEARS_AHEAD, **kwargs: Any) -> None:
        self.years_ahead = min(years_ahead, YEARS_AHEAD)
        kwargs.setdefault("invalid_value_message", _l("Not a valid date and time."))
        super().__init__(*args, **kwargs)


MARSHMALLOW_FIELDS = (BoundedDateTime, BoundedAwareDateTime, BoundedDate)
FORM_FIELDS = (BoundedDateField, BoundedDateTimeLocalField)

__all__ = [
    "EARLIEST",
    "FORM_FIELDS",
    "MARSHMALLOW_FIELDS",
    "YEARS_AHEAD",
    "BoundedAwareDateTime",
    "BoundedDate",
    "BoundedDateField",
    "BoundedDateTime",
    "BoundedDateTimeLocalField",
    "latest",
    "out_of_bounds",
    "within",
]
