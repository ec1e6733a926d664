from sqlalchemy import func, select

from community.extensions import db
from community.members.models import Member


def test_seed_demo_fills_an_empty_database_once(app, outbox):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    # Its people are made up: the rencontres' places and the notifications it seeds mail nobody.
    assert outbox.messages == []
    assert "--- mail to" not in result.output
    assert "Données de démonstration chargées" in result.output
    accounts = runner.invoke(args=["demo-accounts"]).output
    assert "habitant@demo.terreau.fr" in accounts and accounts.count("habitant@") == 1
    roles = dict(db.session.execute(select(Member.role, func.count()).group_by(Member.role)).all())
    assert roles["admin"] >= 1 and roles["staff"] >= 2 and roles["citizen"] >= 20
    again = runner.invoke(args=["seed-demo"])
    assert "déjà" in again.output
    assert db.session.execute(select(func.count(Member.id))).scalar_one() == sum(roles.values())


def test_demo_is_refused_in_production_config(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_ACCOUNTS_ENABLED", False)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "refused" in result.output


def test_create_admin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "Chef@Example.org", "--password", "une phrase solide"]
    )
    assert result.exit_code == 0, result.output
    admin = db.session.execute(
        select(Member).where(Member.email == "chef@example.org")
    ).scalar_one()
    assert admin.role == "admin" and admin.email_confirmed_at is not None
    weak = runner.invoke(args=["create-admin", "b@example.org", "--password", "court"])
    assert weak.exit_code != 0
