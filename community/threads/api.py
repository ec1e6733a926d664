"""`/api/v1`: threads and their messages (the same services and broadcasts as the sockets)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_smorest import Blueprint

from community.communities.services import community_by_slug
from community.core.pagination import SelectPage
from community.core.permissions import current_member, require
from community.core.rest import authenticated_member
from community.threads import services
from community.threads.models import Thread
from community.threads.permissions import (
    can_create_thread,
    can_moderate_thread,
    can_read_community_threads,
    is_author,
)
from community.threads.queries import community_threads
from community.threads.schemas import (
    MessageInput,
    MessageSchema,
    MessagesQuerySchema,
    ThreadInput,
    ThreadSchema,
    message_payload,
)
from community.threads.use_cases import send_message

blp = Blueprint("threads-api", __name__, url_prefix="/api/v1", description="Discussion threads")


@blp.get("/communities/<slug>/threads")
@blp.response(200, ThreadSchema(many=True))
@blp.paginate(SelectPage)
def list_threads(slug: str) -> Any:
    """A community's topics, pinned first."""
    community = community_by_slug(slug)
    member = current_member()
    require(can_read_community_threads(member, community), member)
    return community_threads(community)


@blp.post("/communities/<slug>/threads")
@blp.arguments(ThreadInput)
@blp.response(201, ThreadSchema)
def create_thread(data: dict[str, Any], slug: str) -> Thread:
    """Open a topic (members of the community)."""
    member = authenticated_member()
    community = community_by_slug(slug)
    require(can_create_thread(member, community), member)
    return services.create_thread(member, community, data["title"])


def _readable_thread(thread_id: int) -> Thread:
    return services.get_thread(current_member(), thread_id)  # 404 unless readable


@blp.get("/threads/<int:thread_id>")
@blp.response(200, ThreadSchema)
def get_thread(thread_id: int) -> Thread:
    """A thread, with its `last_seq`."""
    return _readable_thread(thread_id)


@blp.get("/threads/<int:thread_id>/messages")
@blp.arguments(MessagesQuerySchema, location="query")
@blp.response(200, MessageSchema(many=True), headers={"X-More": {"schema": {"type": "boolean"}}})
def list_messages(args: dict[str, Any], thread_id: int) -> Response:
    """Messages after `after_seq`, oldest first, at most `limit`; `X-More` if more follow."""
    thread = _readable_thread(thread_id)
    member = current_member()
    moderator = can_moderate_thread(member, thread)
    messages, more = services.messages_after(thread, args["after_seq"], args["limit"])
    # A hidden body reaches its author and the moderators only (an erased author is nobody).
    response = jsonify(
        [message_payload(m, reveal=moderator or is_author(member, m)) for m in messages]
    )
    response.headers["X-More"] = "true" if more else "false"
    return response


@blp.post("/threads/<int:thread_id>/messages")
@blp.arguments(MessageInput)
@blp.response(201, MessageSchema)
@blp.alt_response(
    200, schema=MessageSchema, description="The stored message, for a known client_id"
)
def post_message(data: dict[str, Any], thread_id: int) -> Any:
    """Post a message; the same `client_id` again returns the stored message (200)."""
    created, payload = send_message(
        authenticated_member, thread_id, data["body"], data.get("client_id"), data.get("reply_to")
    )
    return jsonify(payload), 201 if created else 200
