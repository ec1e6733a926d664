"""The phone part of the preferences page, the push settings and `flask vapid-keys`."""

from __future__ import annotations

import re
import shutil
import subprocess
import types
from pathlib import Path

import pytest

from community.config import check_push_settings
from community.core.notify import register_kind
from community.notifications import push, push_keys, push_services
from tests.conftest import page_text
from tests.factories import make_community, make_member


def _boxes(html: str) -> set[str]:
    return set(re.findall(r'<input[^>]*name="push-kinds"[^>]*value="([^"]+)"', html))


def test_the_page_offers_the_switch_and_the_kinds_that_can_reach_a_citizen(client, vapid) -> None:
    member = make_member()
    client.login_as(member)
    html = page_text(client.get("/me/notifications/settings"))
    assert "Recevoir les notifications sur ce téléphone" in html
    assert 'role="switch"' in html and 'aria-checked="false"' in html
    assert 'src="/static/js/push.js?v=' in html
    # The kinds the issue names: a mention, an answer to my initiative, a rencontre reminder
    # (each its own box).
    for label in (
        "Quand quelqu'un cite mon nom",
        "Réponses et nouvelles des initiatives que je suis",
        "Rappel la veille d'une rencontre",
    ):
        assert label in html
    boxes = re.findall(r'<input[^>]*name="push-kinds"[^>]*>', html)
    assert len(boxes) == len(push.kinds_for(member))
    assert all("checked" in box for box in boxes)  # every kind on by default


# Walked at 360 px: a citizen was offered all the kinds, the gardeners' new reports included.
ROLE_KINDS = {"report", "overdue", "gardener_proposal_answer", "invitation"}


def test_a_citizen_is_not_offered_the_kinds_of_roles_she_does_not_hold(client, vapid) -> None:
    member = make_member()
    client.login_as(member)
    html = page_text(client.get("/me/notifications/settings"))
    assert "Un nouveau signalement à traiter dans mes communautés" not in html
    shown = _boxes(html)
    assert shown == set(push.kinds_for(member)) == set(push_services.kind_choices(member))
    assert not shown & ROLE_KINDS
    # What any member may be told (asked to be a gardener or an ambassador) stays offered.
    assert {"mention", "gardener", "gardener_proposal", "ambassador"} <= shown


def test_each_role_is_offered_its_own_kinds(client, vapid) -> None:
    from tests.ambassadors.factories import make_ambassador

    gardener, staff, ambassador, former = (make_member() for _ in range(4))
    staff.role = "staff"
    place = make_community(citizen=gardener)
    make_ambassador(ambassador, place)
    make_ambassador(former, place, status="ended")  # her links still bring people in
    make_ambassador(make_member(), place, status="proposed")
    assert ROLE_KINDS - {"invitation"} <= set(push.kinds_for(gardener))
    assert "invitation" not in push.kinds_for(gardener)
    assert set(push.kinds_for(staff)) & ROLE_KINDS == {"gardener_proposal_answer"}
    assert set(push.kinds_for(ambassador)) & ROLE_KINDS == {"invitation"}
    assert set(push.kinds_for(former)) & ROLE_KINDS == {"invitation"}
    client.login_as(gardener)
    html = page_text(client.get("/me/notifications/settings"))
    assert "Un nouveau signalement à traiter dans mes communautés" in html


def test_a_kind_not_offered_keeps_its_stored_choice(client, vapid) -> None:
    """A gardener turned the new reports off, then left her mandate: saving as a citizen
    neither shows nor changes that choice, and a kind not offered that she sends is ignored
    (the form and the service alike); should she garden again, her choice is still there."""
    from community.communities.models import GardenerMandate
    from community.core.models import utcnow
    from community.extensions import db

    member = make_member()
    make_community(citizen=member)
    wanted = set(push.kinds_for(member)) - {"report"}
    push_services.set_kind_choices(member, wanted)
    for mandate in db.session.query(GardenerMandate).filter_by(member_id=member.id):
        mandate.ended_at = utcnow()
    db.session.flush()
    assert "report" not in push.kinds_for(member)
    client.login_as(member)
    response = client.post_form("/me/notifications/push", {"push-kinds": ["mention", "report"]})
    assert response.status_code == 302
    choices = push_services.kind_choices(member)
    assert {k for k, on in choices.items() if on} == {"mention"}
    stored = push_services.PushKindSetting
    refused = {
        s.kind for s in db.session.query(stored).filter_by(member_id=member.id, enabled=False)
    }
    assert "report" in refused  # kept off, never shown
    make_community(citizen=member)
    assert push_services.kind_choices(member)["report"] is False


def test_kinds_registered_by_other_domains_are_offered_unless_not_pushable(
    client, vapid, monkeypatch
) -> None:
    from community.core import notify

    monkeypatch.setattr(notify, "_KINDS", dict(notify._KINDS))
    register_kind("test_reminder", "Rappels de rencontre (test)")
    register_kind("test_secret", "Jamais sur le téléphone (test)", pushable=False)
    assert "test_reminder" in push.pushable_kinds()
    assert "test_secret" not in push.pushable_kinds()
    client.login_as(make_member())
    html = page_text(client.get("/me/notifications/settings"))
    assert "Rappels de rencontre (test)" in html
    assert "Jamais sur le téléphone (test)" not in html


def test_choosing_kinds_without_javascript(client, vapid) -> None:
    member = make_member()
    client.login_as(member)
    wanted = {"mention", "event_reminder"}
    response = client.post_form("/me/notifications/push", {"push-kinds": sorted(wanted)})
    assert response.status_code == 302 and response.location.endswith("#telephone")
    choices = push_services.kind_choices(member)
    assert {k for k, on in choices.items() if on} == wanted
    page = page_text(client.get("/me/notifications/settings"))
    assert "Vos choix pour le téléphone sont enregistrés." in page


def test_an_unknown_kind_or_no_csrf_changes_nothing(client, vapid) -> None:
    member = make_member()
    client.login_as(member)
    client.post_form("/me/notifications/push", {"push-kinds": ["mention", "nope"]})
    assert all(push_services.kind_choices(member).values())
    client.post("/me/notifications/push", data={"push-kinds": ["mention"]})  # no token
    assert all(push_services.kind_choices(member).values())


def test_anonymous_visitors_are_sent_to_log_in(client, vapid) -> None:
    response = client.post_form("/me/notifications/push", {"push-kinds": ["mention"]})
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_way_to_the_switch_names_the_phone(client, vapid) -> None:
    """Walked: the only ways to the switch read "Mes notifications par e-mail" (profile) and
    "Préférences d'e-mail" (notifications), and so did the page's title: nobody looking for
    her phone would tap them."""
    client.login_as(make_member())
    link = '<a class="button button-quiet" href="/me/notifications/settings">'
    assert link + "Mes notifications\u00a0: e-mail et téléphone</a>" in page_text(client.get("/me"))
    listed = page_text(client.get("/notifications"))
    settings = '<a href="/me/notifications/settings">Mes réglages\u00a0: e-mail et téléphone</a>'
    assert settings in listed
    assert "<h1>Mes notifications\u00a0: e-mail et téléphone</h1>" in page_text(
        client.get("/me/notifications/settings")
    )


def test_without_push_the_page_says_nothing_of_phones(client) -> None:
    client.login_as(make_member())
    html = page_text(client.get("/me/notifications/settings"))
    assert "téléphone" not in html
    assert "téléphone" not in page_text(client.get("/me"))
    assert "téléphone" not in page_text(client.get("/notifications"))


def test_production_refuses_push_without_a_valid_key(monkeypatch, other_app) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_URL", "https://terreau.example.fr")
    monkeypatch.setenv("PUSH_ENABLED", "true")
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    with pytest.raises(RuntimeError, match="VAPID_PRIVATE_KEY"):
        other_app("production")
    monkeypatch.setenv("VAPID_PRIVATE_KEY", "not-a-key")
    with pytest.raises(RuntimeError, match="not a valid"):
        other_app("production")
    monkeypatch.setenv("VAPID_PRIVATE_KEY", push_keys.generate_private_key())
    monkeypatch.setenv("VAPID_SUBJECT", "terreau")
    with pytest.raises(RuntimeError, match="VAPID_SUBJECT"):
        other_app("production")


def test_check_accepts_a_real_key_and_contact() -> None:
    check_push_settings(push_keys.generate_private_key(), "mailto:contact@commune.example.fr")
    check_push_settings(push_keys.generate_private_key(), "https://terreau.commune.example.fr")


def test_development_makes_a_key_under_instance_once(tmp_path) -> None:
    app = types.SimpleNamespace(
        instance_path=str(tmp_path),
        logger=types.SimpleNamespace(info=lambda *a: None),
        config={"PUSH_ENABLED": True, "VAPID_PRIVATE_KEY": None, "ENV_NAME": "development"},
    )
    key = push_keys.private_key(app)  # type: ignore[arg-type]
    assert key and (tmp_path / push_keys.DEV_KEY_FILE).read_text().strip() == key
    assert (tmp_path / push_keys.DEV_KEY_FILE).stat().st_mode & 0o077 == 0
    app.config["VAPID_PRIVATE_KEY"] = None
    assert push_keys.private_key(app) == key  # type: ignore[arg-type]
    testing = types.SimpleNamespace(config={"VAPID_PRIVATE_KEY": None, "ENV_NAME": "testing"})
    assert push_keys.private_key(testing) is None  # type: ignore[arg-type]


def test_vapid_keys_command(app) -> None:
    result = app.test_cli_runner().invoke(args=["vapid-keys", "--new"])
    assert result.exit_code == 0
    key = result.output.strip().removeprefix("VAPID_PRIVATE_KEY=")
    check_push_settings(key, "mailto:a@b.fr")


@pytest.fixture
def bare_app(app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The suite's app with no key and its instance folder in `tmp_path`."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    monkeypatch.setitem(app.config, "PUSH_ENABLED", True)
    return app


def test_vapid_keys_makes_the_development_key_once(bare_app, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(bare_app.config, "ENV_NAME", "development")
    first = bare_app.test_cli_runner().invoke(args=["vapid-keys"])
    assert first.exit_code == 0, first.output
    path = tmp_path / push_keys.DEV_KEY_FILE
    key = path.read_text().strip()
    check_push_settings(key, "mailto:a@b.fr")
    assert f"development key: {path}" in first.output
    assert f"public key: {push_keys.public_key(bare_app)}" in first.output
    bare_app.config["VAPID_PRIVATE_KEY"] = None
    again = bare_app.test_cli_runner().invoke(args=["vapid-keys"])
    assert again.exit_code == 0 and path.read_text().strip() == key  # kept, not replaced


def test_vapid_keys_writes_nothing_outside_development(bare_app, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(bare_app.config, "ENV_NAME", "production")
    result = bare_app.test_cli_runner().invoke(args=["vapid-keys"])
    assert result.exit_code != 0 and "vapid-keys --new" in result.output
    assert list(tmp_path.iterdir()) == []
    assert push_keys.private_key(bare_app) is None and not push_keys.enabled(bare_app)
    assert list(tmp_path.iterdir()) == []  # production never makes a key of its own


def test_production_without_a_key_starts_with_push_off(monkeypatch) -> None:
    from community.config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_URL", "https://terreau.example.fr")
    monkeypatch.delenv("PUSH_ENABLED", raising=False)
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    ProductionConfig.check()  # no key and no PUSH_ENABLED: it starts, push off
    monkeypatch.setenv("PUSH_ENABLED", "false")
    monkeypatch.setenv("VAPID_PRIVATE_KEY", "not-a-key")
    ProductionConfig.check()  # turned off: the key is not read


def test_make_run_makes_the_development_key_before_serving() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    # -n prints the commands without running any; the run target's own lines come last.
    lines = subprocess.run(
        [make, "-n", "-B", "run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    keys = next(i for i, line in enumerate(lines) if "flask --app wsgi vapid-keys" in line)
    serve = next(i for i, line in enumerate(lines) if line.rstrip().endswith("python wsgi.py"))
    assert keys < serve


def test_the_page_asks_the_browser_for_visible_pushes_only_on_a_tap(client) -> None:
    """Only push.js asks for the permission, inside the switch's click handler, and it
    subscribes with `userVisibleOnly` (a browser then refuses silent pushes; the worker shows
    every push, tests/webapp and test_push_browser check it)."""
    static = Path(__file__).resolve().parents[2] / "static" / "js"
    askers = [p.name for p in static.glob("*.js") if "requestPermission" in p.read_text()]
    assert askers == ["push.js"]
    script = (static / "push.js").read_text()
    assert script.count("requestPermission(") == 1
    assert "userVisibleOnly: true" in script
    on_click = script.split('addEventListener("click"', 1)[1]
    assert "turnOn(registration)" in on_click  # the one path to requestPermission


def test_the_readme_settings_table_lists_the_push_settings() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1) for m in re.finditer(r"^\| `([A-Z_]+)`", readme, flags=re.M)}
    rows |= {m.group(1) for m in re.finditer(r"^\| `[A-Z_]+` · `([A-Z_]+)`", readme, flags=re.M)}
    for name in (
        "VAPID_PRIVATE_KEY",
        "VAPID_SUBJECT",
        "PUSH_ENABLED",
        "PUSH_ALLOWED_HOSTS",
        "PUSH_QUEUE_SIZE",
        "PUSH_TIMEOUT",
    ):
        assert name in rows, name


# The switch's script run by node with a stand-in page: `permission` is what the browser holds.
PUSH_JS_HARNESS = """
const fs = require("fs");
const attrs = {"data-blocked": "BLOCKED", "data-off": "OFF", "data-on": "ON",
               "data-unsupported": "UNSUPPORTED"};
const status = {textContent: "JS", getAttribute: (k) => attrs[k]};
const button = {hidden: true, setAttribute() {}, getAttribute() { return null; },
                addEventListener() {}};
const row = {getAttribute: () => "/x",
             querySelector: (s) => (s === ".push-switch" ? button : status)};
global.document = {querySelector: (s) => (s === "[data-push]" ? row : null)};
global.window = {PushManager: function () {}, Notification: {}};
global.Notification = {permission: process.argv[2]};
let ready;
global.navigator = {serviceWorker: {ready: new Promise((r) => { ready = r; })}};
eval(fs.readFileSync(process.argv[1], "utf8"));
const onLoad = status.textContent;
ready({pushManager: {getSubscription: () => Promise.resolve(null)}});
setTimeout(() => console.log(onLoad + " " + status.textContent), 0);
"""


@pytest.mark.parametrize(("permission", "said"), [("denied", "BLOCKED"), ("default", "OFF")])
def test_a_browser_that_blocks_notifications_is_said_on_load(client, vapid, permission, said):
    """Walked: "your browser blocks notifications" came only once the switch was pressed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    client.login_as(make_member())
    html = page_text(client.get("/me/notifications/settings"))
    assert (
        'data-blocked="Votre navigateur bloque les notifications de Terreau. Pour les recevoir, '
        'autorisez-les dans les réglages du navigateur, puis rechargez cette page."' in html
    )
    script = Path(__file__).resolve().parents[2] / "static" / "js" / "push.js"
    run = subprocess.run(
        [node, "-e", PUSH_JS_HARNESS, str(script), permission],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    on_load = "BLOCKED" if permission == "denied" else "JS"
    assert run.stdout.split() == [on_load, said]
