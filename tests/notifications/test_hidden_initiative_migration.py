"""Migration 0021: the notifications stored before it forget the titles of the initiatives
hidden by then (those that link to such an initiative's page or discussion), in their member's
language; every other notification stays as it was."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.orm import Session

from community.core.models import utcnow
from community.extensions import db
from community.initiatives.models import Initiative
from community.members.models import Member
from community.threads.models import Thread

FR = "Cet avis parlait d'une initiative que les modérateurs ont cachée depuis."
EN = "This notice was about an initiative that the moderators have hidden since."


def _member(session: Session, name: str, locale: str) -> Member:
    member = Member(
        email=f"{name}@example.org",
        display_name=name,
        display_name_key=name,
        password_hash="x",
        role="citizen",
        locale=locale,
    )
    session.add(member)
    session.flush()
    return member


def _initiative(session: Session, author: Member, title: str, hidden: bool) -> Initiative:
    thread = Thread(kind="initiative", title=title)
    session.add(thread)
    session.flush()
    initiative = Initiative(
        title=title,
        summary="Résumé",
        description="",
        description_html="",
        author_id=author.id,
        thread_id=thread.id,
        status="proposed",
        hidden_at=utcnow() if hidden else None,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    session.add(initiative)
    session.flush()
    return initiative


def test_stored_titles_of_hidden_initiatives_are_forgotten(tmp_path, other_app) -> None:  # type: ignore[no-untyped-def]
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    with app.app_context():
        upgrade(revision="0020")
        with Session(db.engine) as session:
            lea, jo = _member(session, "lea", "fr"), _member(session, "jo", "en")
            hidden = _initiative(session, lea, "Ruches SECRET", hidden=True)
            shown = _initiative(session, lea, "Jardin", hidden=False)
            stored = [
                (lea, f"/initiatives/{hidden.id}", "« Ruches SECRET » : nouvel état."),
                (jo, f"/initiatives/{hidden.id}", "“Ruches SECRET”: new status."),
                (lea, f"/threads/{hidden.thread_id}#unread", "Karim vous a répondu dans SECRET"),
                (lea, f"/initiatives/{hidden.id}0", "Une autre initiative"),
                (lea, f"/initiatives/{shown.id}", "« Jardin » : nouvel état."),
                (lea, f"/moderation/contest/initiative/{hidden.id}", "Modération : cachée."),
            ]
            # The table as it stood at 0020 (the model has columns added since).
            for member, url, said in stored:
                session.execute(
                    text(
                        "INSERT INTO notifications (member_id, kind, text, url, created_at)"
                        " VALUES (:member, 'reply', :text, :url, :at)"
                    ),
                    {"member": member.id, "text": said, "url": url, "at": utcnow()},
                )
            session.commit()
        upgrade(revision="0021")
        with db.engine.connect() as connection:
            texts = list(
                connection.execute(text("SELECT text FROM notifications ORDER BY id")).scalars()
            )
        db.engine.dispose()
    assert texts == [FR, EN, FR, *[said for _m, _u, said in stored[3:]]]
