"""Profile rules: pseudonyms, e-mails, profile edits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import or_, select

from community.core.errors import Invalid
from community.core.permissions import is_authenticated, require
from community.extensions import db
from community.members.models import LOCALES, Member
from community.members.pseudonyms import invisible_characters, is_reserved, role_word, skeleton
from community.territory.models import Neighbourhood, Theme

DISPLAY_NAME = re.compile(r"^[\w][\w .'\-]{1,38}[\w.]$", re.UNICODE)
DISPLAY_NAME_MAX = 40
MAX_SKILLS = 20
MAX_SKILL_LENGTH = 60
MAX_BIO_LENGTH = 1000


def normalise_email(email: str, *, strict: bool = True) -> str:
    """The canonical form of an e-mail address (lower-cased); `Invalid` if it is not one."""
    email = (email or "").strip()
    if not strict:
        return email.lower()
    if len(email) > 254:
        raise Invalid(
            _("This e-mail address is too long."), {"email": [_("At most 254 characters.")]}
        )
    try:
        result = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(
            _("This e-mail address is not valid."), {"email": [_("Enter a valid e-mail address.")]}
        ) from None
    return result.normalized.lower()


def check_display_name(
    display_name: str, member: Member | None = None, *, reserved_ok: bool = False
) -> str:
    """A valid, free pseudonym (3 to 40 letters, digits, spaces, . ' -) that shows every
    character it holds and passes for nobody: no other member's, whatever the case, accents,
    script and look-alike letters, nor the platform's, an erased account's or a role's
    (`members/pseudonyms.py`; `reserved_ok`: the operator's command line names the platform's
    own accounts). Members and guests alike (a guest's name at a rencontre goes through here
    too). A member keeping the name they have is not checked again: only new names meet newer
    rules."""
    name = unicodedata.normalize("NFC", " ".join((display_name or "").split()))
    if member is not None and member.id and name == member.display_name:
        return name
    hidden = invisible_characters(name)
    if hidden:
        raise Invalid(
            _("A pseudonym cannot hold invisible characters."),
            {
                "display_name": [
                    _("Remove the invisible characters (%(codes)s).", codes=", ".join(hidden))
                ]
            },
        )
    if len(name) > DISPLAY_NAME_MAX:
        raise _badly_formed()
    # Before the form of the name: "Karim (modération)" is told why it is refused.
    if not reserved_ok:
        _refuse_reserved(name)
    if not DISPLAY_NAME.match(name):
        raise _badly_formed()
    if "@" in name:
        raise Invalid(_("A pseudonym cannot contain @."), {"display_name": [_("No @.")]})
    # Taken whatever the case, and whatever look-alike letters (a Cyrillic "М" for an "M", a
    # "0" for an "O"): nobody can pass for a gardener by writing her name in other letters.
    taken = db.session.execute(
        select(Member.id)
        .where(
            or_(
                Member.display_name_key == name.casefold(),
                Member.display_name_skeleton == skeleton(name),
            ),
            *([Member.id != member.id] if member is not None and member.id else []),
        )
        .limit(1)
    ).scalar_one_or_none()
    if taken is not None:
        raise Invalid(
            _("This pseudonym is already used. Choose another one."),
            {
                "display_name": [
                    _("Already used on Terreau: add the initial of your surname, for instance.")
                ]
            },
        )
    return name


def _badly_formed() -> Invalid:
    return Invalid(
        _("Choose a pseudonym of 3 to 40 letters, digits, spaces, dots or dashes."),
        {"display_name": [_("3 to 40 letters, digits, spaces, dots or dashes.")]},
    )


def _refuse_reserved(name: str) -> None:
    """`Invalid` when `name` passes for the platform, an erased account or a role."""
    if is_reserved(name):
        raise Invalid(
            _("This pseudonym is kept for the platform. Choose another one."),
            {"display_name": [_("Kept for the platform: choose your own name.")]},
        )
    word = role_word(name)
    if word is not None:
        raise Invalid(
            _("A pseudonym cannot hold the name of a role, such as “%(word)s”.", word=word),
            {
                "display_name": [
                    _("“%(word)s” is the name of a role: choose a name without it.", word=word)
                ]
            },
        )


@dataclass
class ProfileChanges:
    """Fields a member may change on their own profile; None means unchanged."""

    display_name: str | None = None
    neighbourhood_id: int | None = None
    clear_neighbourhood: bool = False
    theme_ids: list[int] | None = None
    skills: list[str] | None = None
    bio: str | None = None
    locale: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def clean_skills(skills: list[str]) -> list[str]:
    """Trimmed, de-duplicated skills, within the limits."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for skill in skills:
        skill = " ".join(str(skill).split())
        if not skill or skill.casefold() in seen:
            continue
        if len(skill) > MAX_SKILL_LENGTH:
            raise Invalid(
                _("A skill is at most %(n)d characters long.", n=MAX_SKILL_LENGTH),
                {"skills": [_("At most %(n)d characters each.", n=MAX_SKILL_LENGTH)]},
            )
        seen.add(skill.casefold())
        cleaned.append(skill)
    if len(cleaned) > MAX_SKILLS:
        raise Invalid(
            _("At most %(n)d skills.", n=MAX_SKILLS),
            {"skills": [_("At most %(n)d.", n=MAX_SKILLS)]},
        )
    return cleaned


def update_profile(member: Member, changes: ProfileChanges) -> Member:
    """Apply `changes` to `member`'s own profile, all or nothing."""
    require(is_authenticated(member), member)
    errors: dict[str, list[str]] = {}

    def attempt(key: str, check):
        try:
            return check()
        except Invalid as error:
            errors.update(error.errors or {key: [error.message]})
            return None

    display_name = (
        attempt("display_name", lambda: check_display_name(changes.display_name or "", member))
        if changes.display_name is not None
        else None
    )
    neighbourhood = None
    if changes.neighbourhood_id is not None:
        neighbourhood = db.session.get(Neighbourhood, changes.neighbourhood_id)
        if neighbourhood is None or not neighbourhood.active:
            errors["neighbourhood_id"] = [_("Unknown neighbourhood.")]
    themes = None
    if changes.theme_ids is not None:
        wanted = set(changes.theme_ids)
        themes = list(
            db.session.execute(select(Theme).where(Theme.id.in_(wanted), Theme.active)).scalars()
        )
        if len(themes) != len(wanted):
            errors["theme_ids"] = [_("Unknown theme.")]
    skills = (
        attempt("skills", lambda: clean_skills(changes.skills or []))
        if changes.skills is not None
        else None
    )
    if changes.bio is not None and len(changes.bio) > MAX_BIO_LENGTH:
        errors["bio"] = [_("At most %(n)d characters.", n=MAX_BIO_LENGTH)]
    if changes.locale is not None and changes.locale not in LOCALES:
        errors["locale"] = [_("Unknown language.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)

    if display_name is not None:
        member.display_name = display_name
        member.display_name_key = display_name.casefold()
    if neighbourhood is not None:
        member.neighbourhood = neighbourhood
    elif changes.clear_neighbourhood:
        member.neighbourhood = None
    if themes is not None:
        member.themes = themes
    if skills is not None:
        member.skills = skills
    if changes.bio is not None:
        member.bio = changes.bio.strip()
    if changes.locale is not None:
        member.locale = changes.locale
    db.session.flush()
    return member
