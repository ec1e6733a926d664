"""Migration 0018: notifications already stored lose the excerpts of content they copied (a
message hidden since stops showing in notifications, their e-mails and exports)."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.orm import Session

from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member

STORED = [
    (
        "mention",
        "Amina vous a mentionné dans « Le composteur » : @Léa SECRET 06 12 34 56 78",
        "Amina vous a mentionné dans « Le composteur »",
    ),
    (
        "reply",
        "Karim vous a répondu dans « Le « vrai » sujet » : SECRET » : encore",
        "Karim vous a répondu dans « Le « vrai » sujet »",
    ),
    ("reply", "Karim replied to you in “Compost”: SECRET", "Karim replied to you in “Compost”"),
    (
        "initiative_status",
        "« Boîte à livres » : nouvel état, « Acceptée ». Réponse : SECRET",
        "« Boîte à livres » : nouvel état, « Acceptée ». Lisez la réponse sur sa page.",
    ),
    (
        "initiative_status",
        "« Boîte à livres » : nouvel état, « Réalisée ».",
        "« Boîte à livres » : nouvel état, « Réalisée ».",
    ),
    ("mention", "un texte d'une autre forme : SECRET", "On a cité votre nom dans une discussion."),
    ("membership", "Votre demande est refusée. Réponse : pas de place", None),
]


def test_stored_excerpts_are_cut(tmp_path, other_app) -> None:  # type: ignore[no-untyped-def]
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    with app.app_context():
        upgrade(revision="0017")
        # A session of its own on the migrated database (the suite's is the test database's).
        with Session(db.engine) as session:
            member = Member(
                email="lea@example.org",
                display_name="Léa",
                display_name_key="léa",
                password_hash="x",
                role="citizen",
            )
            session.add(member)
            session.flush()
            # The table as it stood at 0017 (the model has columns added since).
            for kind, stored, _ in STORED:
                session.execute(
                    text(
                        "INSERT INTO notifications (member_id, kind, text, url, created_at)"
                        " VALUES (:member, :kind, :text, '', :at)"
                    ),
                    {"member": member.id, "kind": kind, "text": stored, "at": utcnow()},
                )
            session.commit()
        upgrade(revision="0018")
        with db.engine.connect() as connection:
            texts = list(
                connection.execute(text("SELECT text FROM notifications ORDER BY id")).scalars()
            )
        db.engine.dispose()
    assert texts == [after or before for _, before, after in STORED]
    assert not any("SECRET" in t for t in texts)
