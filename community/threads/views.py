"""Thread pages: read, post and moderate without JavaScript; `thread.js` makes them live."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from community.communities.memberships import communities_of
from community.communities.services import community_by_slug
from community.core.database import begin_write
from community.core.edge import int_arg
from community.core.errors import Invalid, NotFound
from community.core.forms import apply_errors
from community.core.handlers import form_action, require_member, transaction
from community.core.home import home_section
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, require
from community.extensions import db
from community.members.models import Member
from community.threads import reading, services
from community.threads.doors import community_door, opening_topics, taking_part
from community.threads.forms import ActionForm, EditForm, MessageForm, ReasonForm, ThreadForm
from community.threads.models import Message, Thread
from community.threads.permissions import (
    can_create_thread,
    can_edit_message,
    can_moderate_message,
    can_moderate_thread,
    can_post_in_thread,
    can_read_community_threads,
    is_author,
)
from community.threads.queries import community_threads, initiative_of, readable_message
from community.threads.realtime import (
    broadcast_updated,
    thread_sequence,
)
from community.threads.use_cases import send_message

bp = Blueprint("threads", __name__)
PAGE_MESSAGES = 50
# Every list of threads links with it: at the first unread message when there is one.
bp.app_template_global("thread_path")(reading.thread_path)


def _thread(member: Member | None, thread_id: int) -> Thread:
    # With its community: the rights below read it (one query instead of two). Held in a
    # variable: the session's identity map keeps an unchanged row only while something holds
    # it, and a result thrown away was gone before `get_thread` asked (it loaded it again,
    # then the community on its own).
    loaded = db.session.get(Thread, thread_id, options=[joinedload(Thread.community)])
    thread = services.get_thread(member, thread_id)  # 404 unless she may read it
    del loaded  # held until here
    return thread


@bp.route("/threads/<int:thread_id>", methods=["GET", "POST"])
def show(thread_id: int) -> str | Response:
    """The thread: its latest messages, and the form to post."""
    # A visitor's page has no form: none is built (its CSRF token would set a session cookie).
    form = MessageForm() if request.method == "POST" or current_member() is not None else None
    if request.method == "POST":
        assert form is not None
        response = _post(thread_id, form)
        if response is not None:
            return response
    member = current_member()
    thread = _thread(member, thread_id)
    # last_seq BEFORE the messages: the live script joins with it, so a message committed
    # between the two reads arrives twice (dropped by id), never zero times.
    last_seq = thread.last_seq
    read_seq = reading.last_read_seq(member, thread)
    before = int_arg("before")
    if member is not None and before is None and last_seq > read_seq:
        reading.mark_read(member, thread, last_seq)
    # The latest messages, from just above the first unread one when it is further back.
    size = PAGE_MESSAGES
    if before is None:
        size = reading.opening_size(read_seq, last_seq, PAGE_MESSAGES)
    messages, earlier = services.messages_before(thread, before, size)
    if form is not None and not form.client_id.data:
        form.client_id.data = uuid.uuid4().hex
    if form is not None and request.method == "GET" and int_arg("reply_to") is not None:
        form.reply_to.data = request.args["reply_to"]
    replying_to = _answered(member, thread, form, messages)
    # What a moderator hid or its author deleted since is no news (the counts leave it out too).
    first_unread = (
        next((m.seq for m in messages if m.seq > read_seq and m.is_news), None)
        if read_seq
        else None
    )
    moderator = can_moderate_thread(member, thread)
    may_post = can_post_in_thread(member, thread)
    joining = taking_part(member, thread) if member is not None and not may_post else None
    return render_template(
        "threads/thread.html",
        thread=thread,
        last_seq=last_seq,
        messages=messages,
        earlier=earlier,
        first_unread=first_unread,
        # Everything read: `#unread` (every link to a thread with news) leads to the end.
        all_read=before is None and read_seq > 0 and first_unread is None,
        form=form,
        replying_to=replying_to,
        may_post=may_post,
        joining=joining,
        initiative=initiative_of(thread),
        lists_community=thread.community is not None
        and can_read_community_threads(member, thread.community),
        moderator=moderator,
        # The same rules as can_edit_message / can_see_hidden, without a query per message.
        can_edit=lambda m: may_post and is_author(member, m),
        reveal=lambda m: moderator or is_author(member, m),
        is_author=is_author,
        me=member,
    )


def _answered(
    member: Member | None, thread: Thread, form: MessageForm | None, shown: list[Message]
) -> Message | None:
    """The message the form answers, named in its hint; a reply to what may not be answered
    (another thread's, hidden, deleted) is dropped from the form: she answers nothing."""
    if form is None or not (form.reply_to.data or "").isdigit():
        return None
    wanted = int(form.reply_to.data)
    message = next((m for m in shown if m.id == wanted), None) or readable_message(member, wanted)
    if message is None or message.thread_id != thread.id or message.hidden or message.deleted:
        form.reply_to.data = ""
        return None
    return message


def _post(thread_id: int, form: MessageForm) -> Response | None:
    if not form.validate_on_submit():
        return None
    reply_to = int(form.reply_to.data) if (form.reply_to.data or "").isdigit() else None
    try:
        _created, payload = send_message(
            current_member,
            thread_id,
            form.body.data,
            form.client_id.data or None,
            reply_to,
            load_thread=_thread,
        )
    except Invalid as error:
        apply_errors(form, error)
        return None
    message_id = payload["id"]
    return redirect(url_for("threads.show", thread_id=thread_id, _anchor=f"message-{message_id}"))


def _message(message_id: int) -> Message:
    return services.get_message(current_member(), message_id)  # 404 unless readable


def _act_on_message(message_id: int, allowed: object, act: object, *args: object) -> Response:
    message = _message(message_id)
    # Committed inside the thread's write turn, before its broadcast leaves.
    with thread_sequence(message.thread_id), transaction():
        begin_write()
        message = _message(message_id)
        member = current_member()
        require(bool(allowed(member, message)), member)  # type: ignore[operator]
        act(member, message, *args)  # type: ignore[operator]
        broadcast_updated(message)
        thread_id = message.thread_id
    return redirect(url_for("threads.show", thread_id=thread_id, _anchor=f"message-{message_id}"))


@bp.route("/threads/messages/<int:message_id>/delete", methods=["GET", "POST"])
def delete(message_id: int) -> str | Response:
    """Delete one's own message, once confirmed (a page without JavaScript, a dialog with it)."""
    if request.method == "GET":
        message = _message(message_id)
        member = current_member()
        require(can_edit_message(member, message), member)
        return render_template("threads/delete.html", message=message, form=ActionForm())
    if not ActionForm().validate_on_submit():
        abort(400)
    return _act_on_message(message_id, can_edit_message, services.delete_message)


@bp.route("/threads/messages/<int:message_id>/edit", methods=["GET", "POST"])
def edit(message_id: int) -> str | Response:
    """Change one's own message."""
    message = _message(message_id)
    member = current_member()
    require(can_edit_message(member, message), member)
    form = EditForm(data={"body": message.body} if request.method == "GET" else None)
    edited = form_action(
        form,
        lambda: _act_on_message(
            message_id, can_edit_message, services.edit_message, form.body.data
        ),
        lambda response: response,
    )
    if edited is not None:
        return edited
    return render_template("threads/edit.html", form=form, message=message)


def _moderate(message_id: int, act: object) -> Response:
    form = ReasonForm()
    message = _message(message_id)
    if not form.validate_on_submit():  # the CSRF token; the reason is `ReasonInput`'s
        abort(400)
    try:
        return _act_on_message(message_id, can_moderate_message, act, form.reason.data)
    except Invalid as error:  # the reason's own message ("Give a reason.") when it is that
        flash(((error.errors or {}).get("reason") or [error.message])[0], "error")
        return redirect(url_for("threads.show", thread_id=message.thread_id))


@bp.post("/threads/messages/<int:message_id>/hide")
def hide(message_id: int) -> Response:
    """A moderator hides a message, with a reason."""
    return _moderate(message_id, services.hide_message)


@bp.post("/threads/messages/<int:message_id>/restore")
def restore(message_id: int) -> Response:
    """A moderator shows a hidden message again, with a reason."""
    return _moderate(message_id, services.restore_message)


@bp.post("/threads/<int:thread_id>/moderate")
def moderate_message(thread_id: int) -> Response:
    """The thread page's one moderation form: the button pressed names the act and the message
    (`hide:<id>` or `restore:<id>`), the reason is the form's (issue 17: one form per page)."""
    act, _sep, target = request.form.get("target", "").partition(":")
    if act not in {"hide", "restore"} or not target.isdigit():
        abort(400)
    message = _message(int(target))
    if message.thread_id != thread_id:
        abort(404)
    return _moderate(
        message.id, services.hide_message if act == "hide" else services.restore_message
    )


@bp.post("/threads/<int:thread_id>/<any(lock, unlock, pin, unpin):act>")
def moderate_thread(thread_id: int, act: str) -> Response:
    """Gardeners and staff lock, unlock, pin and unpin a thread."""
    if not ActionForm().validate_on_submit():
        abort(400)
    begin_write()
    member = current_member()
    thread = _thread(member, thread_id)
    require(can_moderate_thread(member, thread), member)
    assert member is not None
    if act in {"lock", "unlock"}:
        services.set_locked(member, thread, act == "lock")
    else:
        services.set_pinned(member, thread, act == "pin")
    return redirect(url_for("threads.show", thread_id=thread_id))


@bp.get("/communities/<slug>/welcome")
def welcome(slug: str) -> Response:
    """The community's welcome thread: where a member lands after joining.

    At its top: the message saying she is in (a flash), the thread's title and community,
    then "Écrire", which leads to the box. Opened at the box, a phone showed only an empty
    box: the welcome was above, out of sight."""
    try:
        community = community_by_slug(slug)
    except NotFound:
        abort(404)
    member = current_member()
    require(can_read_community_threads(member, community), member)
    thread = services.welcome_thread(community)  # opened once, for an older community
    return redirect(url_for("threads.show", thread_id=thread.id))


@home_section
def _home(member: Any) -> dict[str, Any]:
    return {
        "my_communities": home_communities(member),
        "my_discussions": reading.discussions_taken_part_in(member),
    }


def home_communities(member: Any) -> list[tuple[Any, list[Thread], dict[int, int]]]:
    """For the home page: the member's communities, their latest topics and unread counts."""
    communities = communities_of(member)  # her gardens too: a gardener is in it
    latest = services.latest_threads(communities)
    unread = reading.unread_counts(member, [t for ts in latest.values() for t in ts])
    return [(c, latest.get(c.id, []), unread) for c in communities]


@bp.route("/communities/<slug>/threads", methods=["GET", "POST"])
def community_index(slug: str) -> str | Response | tuple[str, int]:
    """A community's topics, and the form to open one."""
    try:
        community = community_by_slug(slug)
    except NotFound:
        abort(404)
    member = current_member()
    door = community_door(member, community)
    if not door.open:
        # No list: who takes part, and how (the pages link here only for those who may read).
        return render_template("threads/community.html", community=community, door=door), (
            401 if member is None else 403
        )
    form = ThreadForm()
    may_create = can_create_thread(member, community)
    opened = form_action(  # the service refuses who may not open a topic
        form,
        lambda: services.create_thread(require_member(), community, form.title.data or ""),
        lambda thread: redirect(url_for("threads.show", thread_id=thread.id)),
    )
    if opened is not None:
        return opened
    page = paginate(community_threads(community), page_from_request())
    unread = reading.unread_counts(member, page.items)
    return render_template(
        "threads/community.html",
        community=community,
        page=page,
        form=form,
        may_create=may_create,
        unread=unread,
        door=door,
        joining=opening_topics(member, community),
    )
