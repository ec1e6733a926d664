"""Who invited a newcomer, and to what: what sign-up's pages and mails say of the link she came
through.

The auth domain carries a link's token through sign-up (`SignupData.invitation`, the signal
`member_signed_up`) but knows no domain that makes such links (the import contract forbids
it): the one that does (ambassadors) registers, at import, how to read them
(`invitation_reader`), as auth itself registers `core.sockets.member_resolver`. Without one,
sign-up simply says nothing of an invitation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from community.members.models import Member


@dataclass(frozen=True)
class Invited:
    """An invitation as a newcomer reads it: plain values, for pages and mails alike."""

    inviter: str  # the pseudonym of who invited her
    community: str | None = None  # the community's name; None: Terreau, in `place`
    community_slug: str | None = None
    place: str | None = None  # the neighbourhood of an invitation to Terreau only
    on_request: bool = False  # she asks to join; its gardeners answer
    own_charter: bool = False  # the community has a charter of its own, accepted at sign-up
    # Once her e-mail is confirmed: "active" (a member) or "pending" (her request waits).
    membership: str | None = None

    def sentence(self) -> str:
        """ "Yanis vous invite à rejoindre « Compost et jardins des Tilleuls »." """
        if self.community is not None:
            return _(
                "%(who)s invites you to join “%(name)s”.", who=self.inviter, name=self.community
            )
        return _(
            "%(who)s invites you to join Terreau in %(place)s.", who=self.inviter, place=self.place
        )

    def next_step(self) -> str:
        """What confirming her e-mail will do (nothing to say for an invitation to Terreau)."""
        if self.community is None:
            return ""
        if self.on_request:
            return _(
                "Once you have confirmed your e-mail address, your request to join "
                "“%(name)s” goes to its gardeners.",
                name=self.community,
            )
        return _(
            "Once you have confirmed your e-mail address, you are a member of “%(name)s”.",
            name=self.community,
        )


@dataclass(frozen=True)
class _Reader:
    by_token: Callable[[str], Invited | None]
    of_member: Callable[[Member], Invited | None]


_READER: list[_Reader] = []


def invitation_reader(
    *,
    by_token: Callable[[str], Invited | None],
    of_member: Callable[[Member], Invited | None],
) -> None:
    """Register how to read an invitation: from a link's token (a link that no longer works
    gives None), and for a member, the one she signed up through (None if none)."""
    _READER[:] = [_Reader(by_token, of_member)]


def invited_by(token: str | None) -> Invited | None:
    """The invitation of the link `token`, if it still works."""
    if not token or not _READER:
        return None
    return _READER[0].by_token(token)


def invitation_of(member: Member) -> Invited | None:
    """The invitation `member` signed up through, with where she now stands in its community."""
    if not _READER:
        return None
    return _READER[0].of_member(member)
