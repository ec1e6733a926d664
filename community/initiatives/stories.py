"""The story of an initiative: updates with an optional photo, and who made it happen."""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from community.core.content import render_markdown
from community.core.errors import Conflict, Invalid
from community.core.permissions import require
from community.core.signals import on_rollback
from community.extensions import db
from community.initiatives import permissions
from community.initiatives.models import Initiative, InitiativeUpdate, Participation
from community.members.models import Member

BODY_MAX = 4_000
PHOTO_TYPES = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_SIDE = 1600
PHOTO_NAME = r"[0-9a-f]{32}\.jpg"


def photo_folder() -> Path:
    """Where photos live: `UPLOAD_FOLDER/initiatives` (instance/uploads by default)."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / "initiatives"


@dataclass
class Photo:
    """An uploaded file: its bytes come from `stream`."""

    stream: IO[bytes]
    filename: str = ""


def _photo_error(message: str) -> Invalid:
    return Invalid(message, {"photo": [message]})


def prepare_photo(photo: Photo) -> bytes:
    """Check the type and size of an uploaded image; return it resized, as JPEG bytes."""
    limit = int(current_app.config.get("INITIATIVE_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES))
    data = photo.stream.read(limit + 1)
    if not data:
        raise _photo_error(_("The photo is empty."))
    if len(data) > limit:
        raise _photo_error(
            _("The photo is too large (at most %(mb)d MB).", mb=limit // (1024 * 1024))
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format not in PHOTO_TYPES:
                raise _photo_error(_("Send a JPEG, PNG or WebP photo."))
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise _photo_error(_("The photo has too many pixels."))
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            if image.mode != "RGB":
                image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, SyntaxError):  # fmt: skip
        raise _photo_error(_("Send a JPEG, PNG or WebP photo.")) from None
    # Only the pixels travel on: a new image carries no EXIF (location), no JPEG comment
    # (COM segment), no ICC profile, nothing `image.info` held.
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _store(content: bytes) -> str:
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.jpg"
    (folder / name).write_bytes(content)
    # A photo whose row is never committed must not stay on disk.
    on_rollback(lambda: _remove(folder / name))
    return name


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def post_update(
    member: Member, initiative: Initiative, body: str, photo: Photo | None = None
) -> InitiativeUpdate:
    """Add a piece of the story (Markdown), optionally with a photo checked and resized."""
    require(permissions.can_post_update(member, initiative), member)
    if initiative.status in ("declined", "withdrawn"):
        raise Conflict(_("This initiative is closed."))
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Write what happened."), {"body": [_("Required.")]})
    if len(body) > BODY_MAX:
        raise Invalid(
            _("The text is too long."), {"body": [_("At most %(n)d characters.", n=BODY_MAX)]}
        )
    content = prepare_photo(photo) if photo is not None else None
    update = InitiativeUpdate(
        initiative=initiative,
        author_id=member.id,
        body=body,
        body_html=render_markdown(body),
        photo=_store(content) if content is not None else None,
    )
    db.session.add(update)
    db.session.flush()
    return update


def credits(initiative: Initiative) -> list[Member]:
    """Everyone who made a done initiative: its author, then its volunteers ("fait avec")."""
    if initiative.status != "done":
        return []
    people: list[Member] = [initiative.author] if initiative.author is not None else []
    volunteers = db.session.execute(
        select(Member)
        .join(Participation, Participation.member_id == Member.id)
        .where(Participation.initiative_id == initiative.id)
        .order_by(Participation.created_at)
    ).scalars()
    people.extend(v for v in volunteers if v.id != initiative.author_id)
    return people
