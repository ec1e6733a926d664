"""Initiative pages: browse, propose, declare, edit, those awaiting an answer, the figures.

An initiative's own page and what is done from it are in `initiative_views.py`, on the same
blueprint (`blueprints.py`).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import login_required
from sqlalchemy import ColumnElement, func, or_, select
from werkzeug.wrappers import Response

from community.communities.models import Community
from community.core.database import natural
from community.core.edge import int_arg
from community.core.errors import Conflict, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.home import home_section
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_staff, require
from community.extensions import db
from community.initiatives import (
    answers,
    initiative_views,  # noqa: F401  (its routes are on `bp`)
    permissions,
    queries,
    services,
)
from community.initiatives.blueprints import bp, load_initiative
from community.initiatives.forms import BrowseForm, InitiativeForm, choices
from community.initiatives.labels import STATUS_LABELS
from community.initiatives.models import Initiative
from community.territory.services import neighbourhood_choices, theme_choices


@home_section
def _home(member: Any) -> dict[str, Any]:
    return {"my_initiatives": my_initiatives(member)}


def my_initiatives(member: Any, limit: int = 5) -> list[Initiative]:
    """For the home page: the member's own initiatives, the latest moved first."""
    if member is None:
        return []
    return list(
        db.session.execute(
            select(Initiative)
            .where(Initiative.author_id == member.id, Initiative.status != "withdrawn")
            .order_by(Initiative.updated_at.desc(), Initiative.id.desc())
            .limit(limit)
        ).scalars()
    )


def _community_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Community.slug, Community.name).order_by(natural(Community.name))
    )
    return [(slug, name) for slug, name in rows]


FILTER_COMMUNITIES = 30


def _filter_communities() -> list[tuple[str, str]]:
    """The filter's communities, bounded: the ones with the most visible initiatives, by name,
    and the one asked for (a community page links here with its slug)."""
    busiest = (
        select(Initiative.community_id)
        .where(Initiative.hidden_at.is_(None), Initiative.community_id.is_not(None))
        .group_by(Initiative.community_id)
        .order_by(func.count().desc(), Initiative.community_id)
        .limit(FILTER_COMMUNITIES)
    )
    wanted: ColumnElement[bool] = Community.id.in_(busiest.scalar_subquery())
    if request.args.get("community"):
        wanted = or_(wanted, Community.slug == request.args["community"][:200])
    rows = db.session.execute(
        select(Community.slug, Community.name).where(wanted).order_by(natural(Community.name))
    )
    return [(slug, name) for slug, name in rows]


@bp.get("")
def index() -> str:
    form = BrowseForm(request.args)
    # "All" agrees with its noun in French (Tous les thèmes, Toutes les communautés): one
    # context per filter tells the translator which.
    form.theme_id.choices = choices([(None, pgettext("theme filter", "All")), *theme_choices()])
    form.neighbourhood_id.choices = choices(
        [(None, pgettext("neighbourhood filter", "All")), *neighbourhood_choices()]
    )
    form.community.choices = choices(
        [("", pgettext("community filter", "All")), *_filter_communities()]
    )
    form.validate()

    def number(name: str) -> int | None:
        return int_arg(name)

    kind = request.args.get("kind", "")
    filters = queries.Filters(
        theme_id=number("theme_id"),
        neighbourhood_id=number("neighbourhood_id"),
        status=request.args.get("status") if request.args.get("status") in STATUS_LABELS else None,
        community=request.args.get("community") or None,
        informal=kind == "informal" or request.args.get("informal") == "1",
        spontaneous=kind == "spontaneous" or request.args.get("spontaneous") == "1",
        q=(request.args.get("q") or "")[:200],
        sort="supported" if request.args.get("sort") == "supported" else "newest",
    )
    page = paginate(queries.as_cards(queries.matching(filters)), page_from_request())
    return render_template("initiatives/index.html", form=form, page=page)


def _initiative_form(informal: bool) -> str | Response:
    member = current_member()
    require(permissions.can_propose(member), member)
    assert member is not None
    form = InitiativeForm()
    form.theme_ids.choices = choices(theme_choices())
    form.neighbourhood_id.choices = choices([(None, _("— Choose —")), *neighbourhood_choices()])
    form.community.choices = choices(
        [("", _("None: a spontaneous initiative")), *_community_choices()]
    )
    if not form.is_submitted():
        form.community.data = request.args.get("community", "")
        if member.neighbourhood_id:
            form.neighbourhood_id.data = member.neighbourhood_id
        # Proposed from a community's page: its theme is ticked (she may untick it).
        theme_id = db.session.execute(
            select(Community.theme_id).where(Community.slug == form.community.data)
        ).scalar_one_or_none()
        if theme_id is not None:
            form.theme_ids.data = [theme_id]
    if form.validate_on_submit():
        data = services.InitiativeData(
            title=form.title.data,
            summary=form.summary.data,
            description=form.description.data,
            theme_ids=list(form.theme_ids.data or []),
            neighbourhood_id=form.neighbourhood_id.data,
            community=form.community.data or None,
            needs=list(form.needs.data),
        )
        try:
            with refusal_undone():
                initiative = services.propose(member, data, informal=informal)
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(
                _("Your initiative is declared. Thank you for making it visible!")
                if informal
                else _("Your initiative is proposed. The authority will answer it publicly."),
                "success",
            )
            return redirect(url_for("initiatives.show", initiative_id=initiative.id))
    return render_template("initiatives/form.html", form=form, informal=informal)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    return _initiative_form(informal=False)


@bp.route("/declare", methods=["GET", "POST"])
@login_required
def declare() -> str | Response:
    return _initiative_form(informal=True)


@bp.route("/<int:initiative_id>/edit", methods=["GET", "POST"])
@login_required
def edit(initiative_id: int) -> str | Response:
    initiative = load_initiative(initiative_id)
    member = current_member()
    require(permissions.can_edit(member, initiative), member)
    assert member is not None
    form = InitiativeForm(obj=initiative)
    del form.community  # a community is chosen once, when proposing
    form.theme_ids.choices = choices(theme_choices())
    form.neighbourhood_id.choices = choices([(None, _("— Choose —")), *neighbourhood_choices()])
    if not form.is_submitted():
        form.theme_ids.data = [t.id for t in initiative.themes]
    if form.validate_on_submit():
        data = services.InitiativeData(
            title=form.title.data,
            summary=form.summary.data,
            description=form.description.data or "",
            theme_ids=list(form.theme_ids.data or []),
            neighbourhood_id=form.neighbourhood_id.data,
            needs=list(form.needs.data),
        )
        try:
            with refusal_undone():
                services.edit(member, initiative, data)
        except (Invalid, Conflict) as error:
            apply_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("initiatives.show", initiative_id=initiative.id))
    return render_template("initiatives/edit.html", form=form, initiative=initiative)


@bp.get("/awaiting")
@login_required
def awaiting() -> str:
    member = current_member()
    require(permissions.can_see_awaiting(member), member)
    assert member is not None
    page = answers.awaiting_page(member, page_from_request(), everything=is_staff(member))
    return render_template("initiatives/awaiting.html", items=page.items, page=page)


@bp.get("/figures")
def figures() -> str:
    return render_template(
        "initiatives/figures.html",
        overall=answers.response_figures(),
        page=(page := answers.figures_by_community_page(page_from_request())),
        by_community=page.items,
        days=answers.answer_delay().days,
    )
