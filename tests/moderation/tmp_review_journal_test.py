from __future__ import annotations

from sqlalchemy import delete

from community.extensions import db
from community.members.models import Member
from community.moderation import services
from community.moderation.targets import readable_labels
from tests.factories import make_member


def test_journal_names_a_newcomer_for_an_erased_member(world) -> None:  # type: ignore[no-untyped-def]
    warned = make_member(display_name="Ancien Averti")
    services.record_action(
        world.gardener_a, "warn", "member", warned.id, community=world.a, subject=warned
    )
    old_id = warned.id
    db.session.flush()
    # Erasure deletes the row (members.erasure.erase_account)
    db.session.execute(delete(Member).where(Member.id == old_id))
    db.session.expunge_all()
    newcomer = make_member(display_name="Nouvelle Innocente")
    db.session.flush()
    print("old", old_id, "new", newcomer.id, db.engine.dialect.name)
    labels = readable_labels(db.session.get(Member, world.gardener_a.id), [("member", old_id)])
    print(labels)
    assert ("member", old_id) not in labels, labels
