"""Solidarity signals: recording one, and the list of those one recorded or gardens."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from community.core.errors import Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.pagination import page_from_request, paginate
from community.solidarity import services
from community.solidarity.blueprints import bp, place_choices, signed_in_member
from community.solidarity.forms import SignalForm, contact_choices, kind_choices
from community.solidarity.models import SolidaritySignal
from community.solidarity.queries import gardened_theme_ids
from community.solidarity.services import Place


@bp.route("/signals/new", methods=["GET", "POST"])
def new_signal() -> str | Response:
    member = signed_in_member()
    form = SignalForm()
    place_choices(form)
    form.kind.choices = [("", _("— Choose —")), *kind_choices()]
    form.contact.choices = contact_choices()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.record_signal(
                    member,
                    Place(form.theme_id.data, form.neighbourhood_id.data),
                    form.kind.data or "",
                    form.people.data,
                    form.contact.data or "",
                    form.text.data or "",
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Thank you: the solidarity you spotted is recorded."), "success")
            return redirect(url_for("solidarity.signals"))
    return render_template("solidarity/signal_form.html", form=form)


@bp.get("/signals")
def signals() -> str:
    member = signed_in_member()
    themes = gardened_theme_ids(member)
    stmt = (
        select(SolidaritySignal)
        .where(
            SolidaritySignal.archived_at.is_(None),
            (SolidaritySignal.recorded_by_id == member.id) | SolidaritySignal.theme_id.in_(themes),
        )
        .order_by(SolidaritySignal.created_at.desc(), SolidaritySignal.id.desc())
    )
    page = paginate(stmt, page_from_request(), 20)
    return render_template("solidarity/signals.html", page=page)
