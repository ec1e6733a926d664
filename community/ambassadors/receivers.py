"""The ambassadors domain reacts: a sign-up through an invitation link is counted; once her
e-mail is confirmed the newcomer joins the invited community and the ambassador whose link
she used is told; ambassadors named are told (`core.notify`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from community.ambassadors import invitations
from community.ambassadors.invitations import record_invitation
from community.ambassadors.models import Ambassador
from community.ambassadors.permissions import may_have_invited
from community.ambassadors.signals import ambassador_named
from community.auth.invitations import invitation_reader
from community.auth.signals import email_confirmed, member_signed_up
from community.core.notify import notify, register_kind
from community.core.urls import site_path
from community.members.models import Member

register_kind("ambassador", _l("Your roles"))
register_kind("invitation", _l("Your invitations"), audience=may_have_invited)
# Sign-up's pages and mails say who invited a newcomer, and to what (auth knows no ambassador).
invitation_reader(by_token=invitations.told_by_token, of_member=invitations.told_to_newcomer)


@member_signed_up.connect
def count_invitation(member: Member, *, invitation: str | None = None) -> None:
    """Who brought whom: a sign-up through a link is recorded (a dead link is ignored)."""
    if invitation:
        record_invitation(member, invitation)


@ambassador_named.connect
def tell_ambassador(ambassador: Ambassador, *, actor: Member) -> None:
    """The member is asked to become an ambassador (they accept or decline)."""
    place = ambassador.community or ambassador.neighbourhood
    assert place is not None  # an ambassador is for a community or a neighbourhood
    text = _l("You are asked to be an ambassador for %(where)s.", where=place.name)
    notify(ambassador.member, "ambassador", text, site_path("ambassadors.mine"), actor=actor)


def tell_inviter(newcomer: Member) -> None:
    """The ambassador whose link brought someone in is told (by pseudonym only), once the
    newcomer's e-mail is confirmed: an address never confirmed (a typo, someone else's) has
    joined nothing."""
    invitation = invitations.invitation_of(newcomer)
    if invitation is None:
        return
    text = _l("%(who)s joined Terreau through your invitation link.", who=newcomer.display_name)
    url = site_path("ambassadors.mine")
    notify(invitation.ambassador.member, "invitation", text, url, actor=newcomer)


@email_confirmed.connect
def welcome_invited(member: Member, **_: object) -> None:
    """A newcomer who signed up through an invitation link joins the community of that link,
    and the ambassador who made it is told."""
    invitations.join_invited_community(member)
    tell_inviter(member)
