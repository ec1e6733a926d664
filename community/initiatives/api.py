"""`/api/v1/initiatives`: the same services and predicates as the pages, in JSON."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from community.core.errors import Invalid, NotFound
from community.core.inputs import load_input
from community.core.pagination import SelectPage
from community.core.permissions import current_member, require
from community.core.rest import authenticated_member
from community.initiatives import backing, lifecycle, permissions, queries, services, stories
from community.initiatives.models import Initiative, InitiativeUpdate, Participation, StatusChange
from community.initiatives.schemas import (
    BrowseArgsSchema,
    InitiativeCreateSchema,
    InitiativeSchema,
    InitiativeUpdateSchema,
    ParticipationInSchema,
    ParticipationSchema,
    StatusChangeInSchema,
    StatusChangeOutSchema,
    StoryUpdateSchema,
    SupportSchema,
)

blp = Blueprint(
    "initiatives-api", __name__, url_prefix="/api/v1", description="Initiatives and their answers"
)


def _load(initiative_id: int) -> Initiative:
    initiative = queries.readable_initiative(current_member(), initiative_id)
    if initiative is None:
        raise NotFound(_("This initiative does not exist."))
    return initiative


def _data(fields_: dict[str, Any]) -> services.InitiativeData:
    return services.InitiativeData(
        title=fields_.get("title"),
        summary=fields_.get("summary"),
        description=fields_.get("description"),
        theme_ids=fields_.get("theme_ids"),
        neighbourhood_id=fields_.get("neighbourhood_id"),
        community=fields_.get("community"),
        needs=fields_.get("needs"),
    )


@blp.get("/initiatives")
@blp.arguments(BrowseArgsSchema, location="query")
@blp.response(200, InitiativeSchema(many=True))
@blp.paginate(SelectPage)
def list_initiatives(args: dict[str, Any]) -> Any:
    """Initiatives, newest first (or `sort=supported`), filtered and searched."""
    return queries.browse(queries.Filters(**args))


@blp.post("/initiatives")
@blp.arguments(InitiativeCreateSchema)
@blp.response(201, InitiativeSchema)
def create_initiative(data: dict[str, Any]) -> Initiative:
    """Propose an initiative, or declare an informal one (`informal: true`)."""
    member = authenticated_member()
    initiative = services.propose(member, _data(data), informal=data["informal"])
    return _load(initiative.id)


@blp.get("/initiatives/<int:initiative_id>")
@blp.response(200, InitiativeSchema)
def get_initiative(initiative_id: int) -> Initiative:
    """One initiative with its status changes (the public answers)."""
    return _load(initiative_id)


@blp.patch("/initiatives/<int:initiative_id>")
@blp.arguments(InitiativeUpdateSchema)
@blp.response(200, InitiativeSchema)
def patch_initiative(data: dict[str, Any], initiative_id: int) -> Initiative:
    """Its author changes what it says."""
    initiative = _load(initiative_id)
    member = authenticated_member()
    require(permissions.can_edit(member, initiative), member)
    services.edit(member, initiative, _data(data))
    return _load(initiative_id)


@blp.post("/initiatives/<int:initiative_id>/status")
@blp.arguments(StatusChangeInSchema)
@blp.response(201, StatusChangeOutSchema)
def post_status(data: dict[str, Any], initiative_id: int) -> StatusChange:
    """Move it with a public answer (gardeners of its community, staff; its author withdraws)."""
    initiative = _load(initiative_id)
    member = authenticated_member()
    require(permissions.can_change_status(member, initiative), member)
    change = lifecycle.change_status(
        member, initiative, data["status"], data["answer"], data["reason"]
    )
    return change


def _support_state(initiative: Initiative, supported: bool) -> dict[str, Any]:
    return {
        "initiative_id": initiative.id,
        "supported": supported,
        "support_count": initiative.support_count,
    }


@blp.post("/initiatives/<int:initiative_id>/support")
@blp.response(201, SupportSchema)
@blp.alt_response(200, schema=SupportSchema, description="Already supported")
def post_support(initiative_id: int) -> Any:
    """Support it (once; supporting again answers 200). Its author may not."""
    initiative = _load(initiative_id)
    member = authenticated_member()
    require(
        permissions.can_support(member, initiative),
        member,
        backing.support_refusal(member, initiative),
    )
    created = backing.support(member, initiative)
    return _support_state(initiative, True), 201 if created else 200


@blp.delete("/initiatives/<int:initiative_id>/support")
@blp.response(204)
def delete_support(initiative_id: int) -> None:
    """Withdraw one's support."""
    initiative = _load(initiative_id)
    member = authenticated_member()
    require(permissions.can_withdraw_support(member, initiative), member)
    backing.withdraw_support(member, initiative)


@blp.post("/initiatives/<int:initiative_id>/participation")
@blp.arguments(ParticipationInSchema)
@blp.response(201, ParticipationSchema)
@blp.alt_response(200, schema=ParticipationSchema, description="Message updated")
def post_participation(data: dict[str, Any], initiative_id: int) -> Any:
    """Lend a hand ("je donne un coup de main"), with an optional message."""
    initiative = _load(initiative_id)
    member = authenticated_member()
    require(
        permissions.can_lend_a_hand(member, initiative),
        member,
        backing.help_refusal(member, initiative),
    )
    participation, created = backing.volunteer(member, initiative, data["message"])
    return participation, 201 if created else 200


@blp.delete("/initiatives/<int:initiative_id>/participation")
@blp.response(204)
def delete_participation(initiative_id: int) -> None:
    """Take one's offer of help back."""
    initiative = _load(initiative_id)
    member = authenticated_member()
    require(permissions.can_stop_helping(member, initiative), member)
    backing.stop_volunteering(member, initiative)


@blp.get("/initiatives/<int:initiative_id>/participation")
@blp.response(200, ParticipationSchema(many=True))
def list_participations(initiative_id: int) -> list[Participation]:
    """The volunteers and what they offer: its author and the gardeners of its community."""
    initiative = _load(initiative_id)
    member = current_member()
    require(permissions.can_see_volunteers(member, initiative), member)
    return list(initiative.participations)


class StoryInSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(max=50_000))


@blp.post("/initiatives/<int:initiative_id>/updates")
@blp.doc(
    description="JSON `{body}`, or multipart/form-data with `body` and an optional `photo` "
    "(JPEG, PNG or WebP)."
)
@blp.response(201, StoryUpdateSchema)
def post_update(initiative_id: int) -> InitiativeUpdate:
    """Tell a piece of its story (its author, the gardeners of its community)."""
    initiative = _load(initiative_id)
    member = authenticated_member()
    require(permissions.can_post_update(member, initiative), member)
    photo = None
    if request.mimetype == "multipart/form-data":
        raw: Any = request.form.to_dict()
        upload = request.files.get("photo")
        if upload is not None and upload.filename:
            photo = stories.Photo(upload.stream, upload.filename)
    else:
        raw = request.get_json(silent=True)
        if not isinstance(raw, dict):
            raise Invalid(_("Send a JSON object."), {"body": [_("Required.")]})
    data = load_input(StoryInSchema(), raw)
    update = stories.post_update(member, initiative, data["body"], photo)
    return update
