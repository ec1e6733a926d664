"""What every template can use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale, dates
from flask import Flask
from flask_babel import format_date, format_time, get_locale, get_timezone, get_translations
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup

from community.core import permissions
from community.core.handlers import form_refused
from community.core.pagination import page_url
from community.core.standing import read_only_note_due, standing_refusal
from community.core.text import full_stop
from community.core.urls import asked_next, external, keep_next, with_next


def init_jinja(app: Flask) -> None:
    app.jinja_env.globals.update(
        is_staff=permissions.is_staff,
        is_admin=permissions.is_admin,
        current_member=permissions.current_member,
        # Why the member may only read right now (a platform suspension), shown on every page.
        standing_refusal=standing_refusal,
        # In place of the acts she may not do right now: the sentence, once per page.
        read_only_note_due=read_only_note_due,
        # An absolute link to hand out (PUBLIC_URL in production, never the Host header).
        external_url=external,
        # The page of this site that sent her here to act (`?next=`): `macros/back.html`.
        asked_next=asked_next,
        # ":" after a word the template writes itself ("{{ name }}{{ colon() }} {{ count }}").
        colon=colon,
        # The link to another page of a list, its filters kept (`macros/forms.html`).
        page_url=page_url,
        # A form's errors shown: the request answers 422 and keeps nothing (`core.handlers`).
        form_refused=form_refused,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    # The request's catalog, found once per request and locale (`core.i18n.RequestDomain`).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
    # `_()` and `gettext()`, the most called functions of a page (30 on the visitor's home),
    # without the two indirections of Jinja's alias (a third of their cost): the same
    # newstyle semantics — escaped into the page, always formatted (a catalog's "%%" is "%").
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _page_gettext

    @app.context_processor
    def _locale() -> dict[str, Any]:
        # The catalog of this rendering's locale (`force_locale` included), read by `_()`.
        return {"locale": str(get_locale() or "fr"), "terreau_translations": get_translations()}

    # A link that brings its visitor back here once the act is done (`core.urls.back_or`).
    app.jinja_env.filters["with_next"] = with_next
    # A form's action on such a page: it carries the page's `next` to the act.
    app.jinja_env.filters["keep_next"] = keep_next
    # A sentence that ends on a pseudonym ("Proposée par Chloé M."): its stop, only if needed.
    app.jinja_env.filters["full_stop"] = full_stop
    app.jinja_env.filters["date"] = day
    app.jinja_env.filters["datetime"] = moment
    app.jinja_env.filters["isodate"] = lambda value: (
        value.isoformat() if isinstance(value, datetime) else ""
    )


@pass_context
def _page_gettext(context: Any, string: str, /, **variables: Any) -> str:
    found = context.get("terreau_translations") or get_translations()  # a macro without context
    text = found.ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - a catalog string, as Jinja's own gettext does
    return text % variables


def colon() -> str:
    """A colon as the language of this rendering writes it: French puts a no-break space
    before it (a breakable one would let the ":" start a line on a phone), English none."""
    locale = get_locale()
    return "\u00a0:" if locale is None or locale.language == "fr" else ":"


# One format for a day and one for a moment, everywhere (pages, mails, notifications): the day
# written in full, without abbreviation ("1 décembre 2026"), and the time after "à"
# ("1 décembre 2026 à 14:30"). Only a pattern naming no day ("MMMM y", a month heading) is
# kept as given.
_DAY_FORMATS = frozenset({None, "short", "medium", "long", "full"})


def day(value: Any, fmt: str | None = None) -> str:
    """A date (or a datetime's date) in the one format of the site."""
    if not value:
        return ""
    if fmt not in _DAY_FORMATS and "d" not in str(fmt):
        return format_date(_local(value).date() if isinstance(value, datetime) else value, fmt)
    return _long_day(value)


def moment(value: Any, fmt: str | None = None) -> str:
    """A date and time in the one format of the site (the `fmt` of old callers is ignored).

    A pattern naming only the time ("HH:mm": the end of a rencontre on the day it starts) gives
    the time alone.
    """
    if not value:
        return ""
    if fmt and fmt not in _DAY_FORMATS and not any(c in fmt for c in "GyYMLwWdDFEec"):
        if isinstance(value, datetime):
            value = _local(value)
        return _patterns(_locale_now())[1].apply(value, _locale_now())
    if not isinstance(value, datetime):
        return _(
            "%(date)s at %(time)s",
            date=format_date(value, "long"),
            time=format_time(value, "HH:mm"),
        )
    locale = _locale_now()
    local = _local(value)
    return _("%(date)s at %(time)s") % {
        "date": _patterns(locale)[0].apply(local.date(), locale),
        "time": _patterns(locale)[1].apply(local, locale),
    }


# What flask_babel's `format_date(value, "long")` and `format_time(value, "HH:mm")` do, with
# the patterns parsed once per locale and process (a thread page formats one date per
# message: issue 17). Same text, same time zone (tests/core/test_frontend.py checks it).


@lru_cache(maxsize=16)
def _patterns(locale: Locale) -> tuple[dates.DateTimePattern, dates.DateTimePattern]:
    return (
        dates.parse_pattern(dates.get_date_format("long", locale=locale)),
        dates.parse_pattern("HH:mm"),
    )


def _locale_now() -> Locale:
    return get_locale() or Locale.parse("fr")


def _local(value: datetime) -> datetime:
    """`value` (naive means UTC) in the user's time zone, as flask_babel rebases it; a moment
    the zone cannot hold (the last hours of the year 9999 are in the year 10000 in Paris)
    stays in UTC: a page never breaks on a date."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(get_timezone())
    except OverflowError:
        return value


def _long_day(value: Any) -> str:
    if isinstance(value, datetime):
        value = _local(value).date()
    elif not isinstance(value, date):
        return format_date(value, "long")
    locale = _locale_now()
    return _patterns(locale)[0].apply(value, locale)
