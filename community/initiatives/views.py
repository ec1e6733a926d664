"""Initiative pages: browse, propose, declare, the initiative and its timeline, answers."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import format_decimal, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import ColumnElement, func, or_, select
from werkzeug.wrappers import Response

from community.communities.models import Community
from community.core.database import natural
from community.core.edge import int_arg
from community.core.errors import Conflict, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.home import home_section, home_tool
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_staff, require
from community.core.urls import back_or
from community.events import queries as rencontres
from community.extensions import db
from community.initiatives import answers, permissions, queries, services, stories
from community.initiatives.forms import (
    BrowseForm,
    InitiativeForm,
    StatusForm,
    StoryForm,
    VolunteerForm,
    choices,
)
from community.initiatives.labels import NEXT_STEPS, REASON_LABELS, STATUS_LABELS
from community.initiatives.models import Initiative
from community.initiatives.timeline import timeline
from community.territory.services import neighbourhood_choices, theme_choices
from community.threads.doors import thread_door
from community.threads.queries import initiative_thread

bp = Blueprint("initiatives", __name__, url_prefix="/initiatives")
# Its tool, on the home page of those who may open it.
home_tool(
    "initiatives.awaiting", _l("Initiatives awaiting an answer"), permissions.can_see_awaiting
)


@bp.app_template_global()
def initiatives_awaiting(member: Any) -> list[answers.AwaitingItem]:
    """For `_awaiting_answer.html`: what awaits an answer in the member's communities."""
    return answers.awaiting_answer(member)


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


bp.add_app_template_filter(format_decimal, "format_decimal")


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "reason_labels": REASON_LABELS,
        "can_see_awaiting_initiatives": permissions.can_see_awaiting,
    }


def _load(initiative_id: int) -> Initiative:
    initiative = queries.readable_initiative(current_member(), initiative_id)
    if initiative is None:
        abort(404)
    return initiative


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
    initiative = _load(initiative_id)
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


def _status_form(member: Any, initiative: Initiative) -> StatusForm:
    form = StatusForm(prefix="status")
    form.status.choices = choices(
        (move, str(STATUS_LABELS[move])) for move in services.allowed_moves(member, initiative)
    )
    return form


def _show(
    initiative: Initiative,
    status_form: StatusForm | None = None,
    story_form: StoryForm | None = None,
    volunteer_form: VolunteerForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    member = current_member()
    participation = services.participation_of(member, initiative)
    if member is not None:
        volunteer_form = volunteer_form or VolunteerForm(
            prefix="help", data={"message": participation.message if participation else ""}
        )
        status_form = status_form or _status_form(member, initiative)
        story_form = story_form or StoryForm(prefix="story")
    # A visitor sees none of the forms: none is built (each would make a CSRF token, so a
    # session cookie, and the page could not be kept by the visitor page cache).
    page = render_template(
        "initiatives/show.html",
        initiative=initiative,
        # A link to its discussion only if she may open it; else who takes part, and how.
        discussion=thread_door(member, initiative_thread(initiative)),
        events=timeline(initiative),
        past_rencontres=rencontres.of_initiative(member, initiative),
        due_at=answers.answer_due_at(initiative),
        public_answer=answers.latest_answer(initiative),
        next_steps=NEXT_STEPS,
        is_author=permissions.is_author(member, initiative),
        moves=services.allowed_moves(member, initiative),
        can_support=permissions.can_support(member, initiative),
        can_lend_a_hand=permissions.can_lend_a_hand(member, initiative),
        banned_here=member is not None
        and not permissions.takes_part_in(member, initiative.community),
        overdue=answers.is_overdue(initiative),
        supported=services.is_supporting(member, initiative),
        participation=participation,
        volunteers=initiative.participations
        if permissions.can_see_volunteers(member, initiative)
        else None,
        volunteer_count=len(initiative.participations),
        credits=stories.credits(initiative),
        status_form=status_form,
        story_form=story_form,
        volunteer_form=volunteer_form,
        can_post_update=permissions.can_post_update(member, initiative),
        can_answer=permissions.can_answer(member, initiative),
        can_edit=permissions.can_edit(member, initiative)
        and initiative.status not in ("done", "declined", "withdrawn"),
        can_ask=permissions.is_author(member, initiative)
        and services.can_ask_for_support(initiative),
    )
    return page, status


@bp.get("/<int:initiative_id>")
def show(initiative_id: int) -> tuple[str, int]:
    return _show(_load(initiative_id))


@bp.post("/<int:initiative_id>/status")
@login_required
def change_status(initiative_id: int) -> Response | tuple[str, int]:
    initiative = _load(initiative_id)
    member = current_member()
    require(permissions.can_change_status(member, initiative), member)
    assert member is not None
    form = _status_form(member, initiative)
    form.status.validate_choice = False  # the service says why a move is refused
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.change_status(
                    member,
                    initiative,
                    form.status.data or "",
                    form.answer.data or "",
                    form.reason.data,
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("The status is changed and the answer published."), "success")
            return redirect(back_or("initiatives.show", initiative_id=initiative_id))
    return _show(_load(initiative_id), status_form=form, status=422)


@bp.post("/<int:initiative_id>/support")
@login_required
def support(initiative_id: int) -> Response:
    initiative = _load(initiative_id)
    member = current_member()
    withdrawing = request.form.get("action") == "withdraw"
    allowed = permissions.can_withdraw_support if withdrawing else permissions.can_support
    require(allowed(member, initiative), member, services.support_refusal(member, initiative))
    assert member is not None
    try:
        with refusal_undone():
            if withdrawing:
                services.withdraw_support(member, initiative)
                message = _("Your support is withdrawn.")
            else:
                services.support(member, initiative)
                message = _("Thank you for your support!")
    except Conflict as error:
        flash(error.message, "error")
    else:
        flash(message, "success")
    return redirect(url_for("initiatives.show", initiative_id=initiative_id))


@bp.post("/<int:initiative_id>/participation")
@login_required
def participation(initiative_id: int) -> Response | tuple[str, int]:
    initiative = _load(initiative_id)
    member = current_member()
    withdrawing = request.form.get("action") == "withdraw"
    allowed = permissions.can_stop_helping if withdrawing else permissions.can_lend_a_hand
    require(allowed(member, initiative), member, services.help_refusal(member, initiative))
    assert member is not None
    if withdrawing:
        services.stop_volunteering(member, initiative)
        flash(_("Your offer of help is withdrawn."), "success")
        return redirect(url_for("initiatives.show", initiative_id=initiative_id))
    form = VolunteerForm(prefix="help")
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.volunteer(member, initiative, form.message.data or "")
        except (Invalid, Conflict) as error:
            apply_errors(form, error)
        else:
            flash(_("Thank you! The author and the gardeners know you can lend a hand."), "success")
            return redirect(url_for("initiatives.show", initiative_id=initiative_id))
    return _show(_load(initiative_id), volunteer_form=form, status=422)


@bp.post("/<int:initiative_id>/updates")
@login_required
def post_update(initiative_id: int) -> Response | tuple[str, int]:
    initiative = _load(initiative_id)
    member = current_member()
    require(permissions.can_post_update(member, initiative), member)
    assert member is not None
    form = StoryForm(prefix="story")
    if form.validate_on_submit():
        upload = form.photo.data
        photo = (
            stories.Photo(upload.stream, upload.filename) if upload and upload.filename else None
        )
        try:
            with refusal_undone():
                stories.post_update(member, initiative, form.body.data or "", photo)
        except (Invalid, Conflict) as error:
            apply_errors(form, error)
        else:
            flash(_("Your news is published."), "success")
            return redirect(url_for("initiatives.show", initiative_id=initiative_id))
    return _show(_load(initiative_id), story_form=form, status=422)


@bp.get("/photos/<name>")
def photo(name: str) -> Response:
    if not re.fullmatch(stories.PHOTO_NAME, name):
        abort(404)
    response = send_from_directory(stories.photo_folder(), name, max_age=86400)
    return response


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
