"""Migration 0020: stored pseudonym skeletons are transliterated; two members whose names now
read as one keep them both (the rule applies to names chosen from now on)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.orm import Session

from community.extensions import db
from community.members.models import Member
from community.members.pseudonyms import skeleton

# Names and the skeletons migration 0019 stored for them (accents off, no transliteration).
BEFORE = [("Lukasz", "lukasz"), ("Łukasz", "łukasz"), ("Ølaf", "ølaf"), ("Karim", "karim")]


def test_stored_skeletons_are_computed_again_and_both_names_stay(tmp_path, other_app) -> None:  # type: ignore[no-untyped-def]
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    with app.app_context():
        upgrade(revision="0019")
        with Session(db.engine) as session:
            for n, (name, _stored) in enumerate(BEFORE):
                session.add(
                    Member(
                        email=f"m{n}@example.org",
                        display_name=name,
                        display_name_key=name.casefold(),
                        password_hash="x",
                        role="citizen",
                    )
                )
            session.commit()
        with db.engine.begin() as connection:
            for name, stored in BEFORE:
                connection.execute(
                    text("UPDATE members SET display_name_skeleton = :s WHERE display_name = :n"),
                    {"s": stored, "n": name},
                )
        upgrade(revision="0020")
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT display_name, display_name_skeleton FROM members ORDER BY id")
            ).all()
        # Back to 0019: its own rule again (a transliterated skeleton left behind would let the
        # older code take a look-alike of "Łukasz" it refuses).
        downgrade(revision="0019")
        with db.engine.connect() as connection:
            back = (
                connection.execute(text("SELECT display_name_skeleton FROM members ORDER BY id"))
                .scalars()
                .all()
            )
        db.engine.dispose()
    assert back == [stored for _, stored in BEFORE]
    assert [name for name, _ in rows] == [name for name, _ in BEFORE]
    assert [stored for _, stored in rows] == [skeleton(name) for name, _ in BEFORE]
    assert rows[0][1] == rows[1][1] == "lukasz"  # both kept, one skeleton
    assert rows[2][1] == skeleton("Olaf")  # a new "Olaf" meets the stored "Ølaf"
