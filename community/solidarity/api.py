"""`/api/v1/help-offers`, `/help-requests`, `/solidarity-signals`."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import Blueprint

from community.core.errors import NotFound
from community.core.models import utcnow
from community.core.pagination import SelectPage
from community.core.rest import authenticated_member
from community.solidarity import permissions, services
from community.solidarity.queries import readable_request
from community.solidarity.schemas import (
    AnonymousHelpRequestSchema,
    HelpOfferInSchema,
    HelpOfferSchema,
    HelpRequestInSchema,
    HelpRequestOutSchema,
    HelpRequestSchema,
    SignalInSchema,
    SignalSchema,
    request_for,
)
from community.solidarity.services import Place

blp = Blueprint(
    "solidarity-api",
    __name__,
    url_prefix="/api/v1",
    description="Mutual help and solidarity signals",
)


def _place(data: dict[str, Any]) -> Place:
    return Place(data["theme_id"], data["neighbourhood_id"])


@blp.post("/help-offers")
@blp.arguments(HelpOfferInSchema)
@blp.response(201, HelpOfferSchema)
def create_offer(data: dict[str, Any]) -> Any:
    """Offer help ("je propose") in a theme and a neighbourhood."""
    member = authenticated_member()
    offer = services.create_offer(member, _place(data), data["text"], data["availability"])
    return offer


@blp.post("/help-requests")
@blp.arguments(HelpRequestInSchema)
@blp.response(201, HelpRequestSchema)
def create_request(data: dict[str, Any]) -> Any:
    """Ask for help ("j'ai besoin"); a go-between may record it on behalf of someone."""
    member = authenticated_member()
    request = services.create_request(
        member,
        _place(data),
        data["text"],
        on_behalf=data["on_behalf"],
        oral_consent=data["oral_consent"],
    )
    return request


@blp.get("/help-requests")
@blp.response(200, AnonymousHelpRequestSchema(many=True))
@blp.paginate(SelectPage)
def list_requests() -> Any:
    """Requests the member may help with, newest first, always without their author."""
    member = authenticated_member()
    return services.visible_requests_stmt(member, utcnow())


@blp.get("/help-requests/<int:request_id>")
@blp.response(200, HelpRequestOutSchema)
def get_request(request_id: int) -> Any:
    """One request; `author` is null unless the reader may know who asked."""
    member = authenticated_member()
    # The visibility layer: what one may not read is answered as a missing id.
    request = readable_request(member, request_id)
    if request is None:
        raise NotFound(_("This help request does not exist."))
    return request_for(request, permissions.can_see_identity(member, request))


@blp.post("/solidarity-signals")
@blp.arguments(SignalInSchema)
@blp.response(201, SignalSchema)
def create_signal(data: dict[str, Any]) -> Any:
    """Record an informal solidarity spotted in the field (no personal data)."""
    member = authenticated_member()
    signal = services.record_signal(
        member, _place(data), data["kind"], data["people"], data["contact"], data["text"]
    )
    return signal
