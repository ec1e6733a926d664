"""Admin pages for themes and neighbourhoods."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from community.core.database import natural
from community.core.errors import Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.home import home_tool
from community.core.permissions import current_member, require
from community.extensions import db
from community.territory import services
from community.territory.forms import PlaceForm
from community.territory.models import Neighbourhood, Theme
from community.territory.permissions import can_manage_territory

bp = Blueprint("territory", __name__, url_prefix="/admin/territory")
# Its tool, on the home page of those who may open it.
home_tool("territory.index", _l("Themes and neighbourhoods"), can_manage_territory)

KINDS: dict[str, type[Theme] | type[Neighbourhood]] = {
    "themes": Theme,
    "neighbourhoods": Neighbourhood,
}


def _kind(kind: str) -> type[Theme] | type[Neighbourhood]:
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


@bp.get("/")
def index() -> str:
    require(can_manage_territory(current_member()), current_member())
    themes = db.session.execute(db.select(Theme).order_by(natural(Theme.name))).scalars().all()
    neighbourhoods = (
        db.session.execute(db.select(Neighbourhood).order_by(natural(Neighbourhood.name)))
        .scalars()
        .all()
    )
    return render_template(
        "territory/index.html", themes=themes, neighbourhoods=neighbourhoods, form=PlaceForm()
    )


@bp.route("/<kind>/new", methods=["GET", "POST"])
@bp.route("/<kind>/<int:place_id>", methods=["GET", "POST"])
def edit(kind: str, place_id: int | None = None) -> str | Response:
    model = _kind(kind)
    require(can_manage_territory(current_member()), current_member())
    place = db.get_or_404(model, place_id) if place_id is not None else None
    form = PlaceForm(obj=place)
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.save_place(
                    current_member(), model, form.name.data or "", place, bool(form.active.data)
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("territory.index"))
    return render_template("territory/edit.html", form=form, kind=kind, place=place)
