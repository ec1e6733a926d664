"""Answering an offer of help (accept, decline, done) and the private exchange it opens."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from community.core.errors import Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.permissions import require
from community.solidarity import permissions, services
from community.solidarity.blueprints import bp, button_action, signed_in_member
from community.solidarity.forms import ActionForm, ExchangeMessageForm
from community.solidarity.queries import readable_exchange, readable_proposal


@bp.post("/proposals/<int:proposal_id>/<action>")
def answer_proposal(proposal_id: int, action: str) -> Response:
    member = signed_in_member()
    proposal = readable_proposal(member, proposal_id)
    if proposal is None:
        abort(404)
    acts = {
        "accept": (
            permissions.can_answer_proposal,
            services.accept_proposal,
            _("You accepted this help. You can now talk together."),
        ),
        "decline": (
            permissions.can_answer_proposal,
            services.decline_proposal,
            _("This offer of help is not retained."),
        ),
        "done": (permissions.can_use_exchange, services.mark_done, _("Marked as done. Thank you!")),
    }
    if action not in acts:
        abort(404)
    allowed, act, message = acts[action]
    require(allowed(member, proposal), member)
    button_action(lambda: act(member, proposal), message)
    if proposal.open_exchange:
        return redirect(url_for("solidarity.exchange", proposal_id=proposal.id))
    return redirect(url_for("solidarity.show_request", request_id=proposal.request_id))


@bp.route("/exchanges/<int:proposal_id>", methods=["GET", "POST"])
def exchange(proposal_id: int) -> str | Response:
    member = signed_in_member()
    # The visibility layer: a closed request's helper and strangers find no such exchange.
    proposal = readable_exchange(member, proposal_id)
    if proposal is None:
        abort(404)
    form = ExchangeMessageForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.send_exchange_message(member, proposal, form.body.data or "")
        except Invalid as error:
            apply_errors(form, error)
        else:
            return redirect(url_for("solidarity.exchange", proposal_id=proposal.id) + "#dernier")
    messages = proposal.messages
    return render_template(
        "solidarity/exchange.html",
        proposal=proposal,
        request_=proposal.request,
        messages=messages,
        form=form,
        may_write=permissions.can_write_exchange(member, proposal),
        action_form=ActionForm(),
    )
