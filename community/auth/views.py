"""Sign-up, login, logout and password reset pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from community.auth import mails, services
from community.auth.forms import (
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from community.auth.invitations import invitation_of, invited_by
from community.auth.limits import login_limits, mail_limits
from community.auth.mails import deliver
from community.core.errors import Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.models import utcnow
from community.core.permissions import current_member
from community.core.standing import kept_while_suspended
from community.core.urls import safe_next
from community.extensions import limiter
from community.members.models import Member
from community.territory.services import neighbourhood_choices

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _reset_limit() -> str:
    return str(current_app.config["PASSWORD_RESET_RATE_LIMIT"])


def start_session(member: Member, remember: bool = False) -> None:
    """A fresh session for `member` (nothing of the anonymous one carries over)."""
    session.clear()
    login_user(member, remember=remember)


@bp.route("/signup", methods=["GET", "POST"])
@mail_limits("SIGNUP_RATE_LIMIT", methods=["POST"])
def signup() -> str | Response:
    if current_member():
        return redirect(url_for("core.home"))
    form = SignupForm()
    if request.method == "GET" and request.args.get("invitation"):
        form.invitation.data = request.args["invitation"][:64]
    form.neighbourhood_id.choices = [
        SelectChoice("", _("— I'd rather not say —")),
        *neighbourhood_choices(),
    ]
    invited = invited_by(form.invitation.data)
    if form.validate_on_submit():
        data = services.SignupData(
            email=form.email.data or "",
            password=form.password.data or "",
            display_name=form.display_name.data or "",
            accept_charter=bool(form.accept_charter.data),
            neighbourhood_id=form.neighbourhood_id.data,
            invitation=form.invitation.data or None,
        )
        try:
            with refusal_undone():
                member = services.sign_up(data)
        except Invalid as error:
            apply_errors(form, error)
        except services.EmailTaken as taken:
            existing = services.find_by_email(taken.email)
            if existing is not None:
                deliver(mails.already_registered_message, existing)
            _sent_to(taken.email, form.invitation.data)  # the same page either way
            return redirect(url_for("auth.signup_sent"))
        else:
            deliver(mails.confirmation_message, member)
            _sent_to(member.email, form.invitation.data)
            if request.args.get("next"):  # the page she came from (a community): back there
                session["signup_next"] = safe_next(request.args["next"], "communities.for_me")
            return redirect(url_for("auth.signup_sent"))
    # The length is said once: in the hint, or in the error when the password is too short.
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    form.password.description = (
        _("A sentence you remember is a good password.")
        if form.password.errors
        else _("At least %(n)d characters. A sentence you remember is a good password.", n=minimum)
    )
    return render_template("auth/signup.html", form=form, invited=invited)


def _sent_to(email: str, invitation: str | None) -> None:
    """What the next page says: the address typed, and who invited her to what (the same
    whether or not the address already had an account)."""
    session["signup_email"] = email
    session["signup_invitation"] = (invitation or "")[:64]


@bp.get("/signup/sent")
def signup_sent() -> str:
    token = session.get("signup_invitation") or None
    invited = invited_by(token)
    return render_template(
        "auth/signup_sent.html",
        email=session.get("signup_email", ""),
        invited=invited,
        # Signing up again (a wrong address) keeps the link she came through.
        again=url_for("auth.signup", invitation=token if invited is not None else None),
    )


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@kept_while_suspended("confirming her e-mail address by its link")
@limiter.limit(_login_limit, methods=["POST"])
def confirm(token: str) -> str | Response:
    """Confirm a new account's e-mail: the link, then the password chosen at sign-up.

    The link alone neither confirms nor logs in: whoever registered an address that is not
    theirs cannot have its owner confirm an account whose password they know (she is told to
    choose her own password instead, which ends theirs), and a link sent to someone else
    never logs her into the sender's account.
    """
    newcomer = services.member_for_confirm_token(token)
    if newcomer is None:
        flash(_("This link is not valid or has expired. Log in to receive a new one."), "error")
        return redirect(url_for("auth.login"))
    form = ConfirmForm()
    invited = invitation_of(newcomer)  # who invited her to what, as her mail said
    if not form.validate_on_submit():
        return render_template("auth/confirm.html", form=form, invited=invited)
    member = services.confirm_email(token, form.password.data or "")
    if member is None:
        form.password.errors = [_("Wrong password.")]
        return render_template("auth/confirm.html", form=form, invited=invited)
    came_from = session.get("signup_next")  # confirmed in the browser she signed up in
    start_session(member)
    flash(_("Your e-mail is confirmed. Welcome to Terreau!"), "success")
    joined = invitation_of(member)  # she joined its community as her e-mail was confirmed
    if joined is not None and joined.membership is not None:
        name = joined.community
        if joined.membership == "active":
            flash(_("You are now a member of %(name)s.", name=name), "success")
        else:
            flash(
                _(
                    "Your request to join %(name)s is sent. Its gardeners will answer you "
                    "soon: you will get a notification.",
                    name=name,
                ),
                "info",
            )
        if joined.membership == "active":  # she lands where the community talks
            return redirect(url_for("threads.welcome", slug=joined.community_slug))
        return redirect(url_for("communities.show", slug=joined.community_slug))
    if came_from:  # the community she found before signing up: one tap to join
        return redirect(safe_next(came_from, "communities.for_me"))
    # Next step: where she lives and what she likes, then communities near her.
    return redirect(url_for("communities.for_me"))


@bp.route("/login", methods=["GET", "POST"])
@kept_while_suspended("logging in")
@login_limits(methods=["POST"])
def login() -> str | Response:
    if current_member():
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        member = services.authenticate(form.email.data or "", form.password.data or "")
        if member is None:
            form.password.errors = [_("Wrong e-mail or password.")]
        elif member.email_confirmed_at is None:
            deliver(mails.confirmation_message, member)
            flash(_("Please confirm your e-mail first: we have just sent you a new link."), "info")
        else:
            start_session(member, remember=bool(form.remember.data))
            target = safe_next(request.args.get("next"), "core.home")
            if target != url_for("core.home"):  # the home page greets her in its title
                flash(_("Hello %(name)s!", name=member.display_name), "success")
            return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@kept_while_suspended("logging out")
@login_required
def logout() -> Response:
    member = current_member()
    everywhere = request.form.get("everywhere") == "1"
    if member is not None:
        # A new nonce: the session cookie and the remember cookie die on the server, not only
        # in this browser (a copied cookie opens nothing); everywhere also revokes API tokens.
        # Live sockets opened with them close after the commit (credentials_ended).
        services.log_out(member, everywhere=everywhere)
    logout_user()
    session.clear()
    flash(_("You are logged out. See you soon!"), "success")
    return redirect(url_for("core.home"))


@bp.route("/forgot", methods=["GET", "POST"])
@kept_while_suspended("keeping her account safe: a new password")
@mail_limits("PASSWORD_RESET_RATE_LIMIT", methods=["POST"])
def forgot() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        member = services.find_by_email(form.email.data or "")
        # The same work whether or not the address has an account: a mail is rendered and
        # queued either way, and the queue drops the one made for an unknown address.
        mails.queue(mails.reset_message(member, form.email.data or ""))
        # The same answer whether or not the address has an account.
        flash(
            _("If this address has an account, we have sent it a link to choose a new password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@kept_while_suspended("keeping her account safe: a new password")
@limiter.limit(_reset_limit, methods=["POST"])
def reset(token: str) -> str | Response:
    member = services.member_for_reset_token(token)
    if member is None:
        flash(_("This link is not valid or has expired. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.reset_password(member, form.password.data or "")
        except Invalid as error:
            apply_errors(form, error)
        else:
            start_session(member)
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("members.me"))
    return render_template("auth/reset.html", form=form)


@bp.get("/tokens")
@login_required
def tokens() -> str:
    """The member's API tokens (apps and scripts that act for them), each revocable."""
    member = current_member()
    assert member is not None
    return render_template("auth/tokens.html", tokens=services.tokens_of(member), now=utcnow())


@bp.post("/tokens/<int:token_id>/revoke")
@kept_while_suspended("ending one of her own sessions")
@login_required
def revoke_token(token_id: int) -> Response:
    member = current_member()
    assert member is not None
    services.revoke_token(services.token_of(member, token_id))
    flash(_("The token is revoked: it opens nothing any more."), "success")
    return redirect(url_for("auth.tokens"))
