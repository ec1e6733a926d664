import pytest

from community.core.errors import Forbidden
from community.extensions import db
from community.territory.models import Neighbourhood, Theme
from community.territory.services import save_place
from tests.conftest import page_text
from tests.factories import make_member, make_theme


@pytest.mark.parametrize(
    "role,status", [(None, 401), ("citizen", 403), ("staff", 403), ("admin", 200)]
)
@pytest.mark.parametrize("url", ["/admin/territory/", "/admin/territory/themes/new"])
def test_only_admins_manage_the_territory(client, role, status, url):
    if role:
        client.login_as(make_member(role))
    assert client.get(url).status_code == (status if status != 401 else 401)


@pytest.mark.parametrize("role", [None, "citizen", "staff"])
def test_non_admins_cannot_post_either(client, role):
    if role:
        client.login_as(make_member(role))
    response = client.post_form("/admin/territory/themes/new", {"name": "Piraté"})
    assert response.status_code in (401, 403)
    assert db.session.execute(db.select(Theme).where(Theme.name == "Piraté")).first() is None


def test_admin_adds_renames_and_hides_places(client):
    client.login_as(make_member("admin"))
    client.post_form(
        "/admin/territory/neighbourhoods/new", {"name": "Les Hauts-de-Loire", "active": "y"}
    )
    place = db.session.execute(db.select(Neighbourhood)).scalar_one()
    assert place.slug == "les-hauts-de-loire" and place.active
    client.post_form(f"/admin/territory/neighbourhoods/{place.id}", {"name": "Hauts de Loire"})
    assert place.name == "Hauts de Loire" and not place.active
    assert client.get("/admin/territory/elsewhere/new").status_code == 404


def test_duplicate_names_are_refused(client):
    make_theme("Culture")
    client.login_as(make_member("admin"))
    response = client.post_form("/admin/territory/themes/new", {"name": "Culture", "active": "y"})
    assert "Déjà pris." in page_text(response)


@pytest.mark.parametrize("role", ["citizen", "staff"])
def test_the_service_itself_refuses_non_admins(app, role):
    """`save_place` authorises its actor: the CLI or a test cannot skip the rule either."""
    with pytest.raises(Forbidden):
        save_place(make_member(role), Theme, "Piraté")
    assert db.session.execute(db.select(Theme).where(Theme.name == "Piraté")).first() is None
    assert save_place(make_member("admin"), Theme, "Jardins").slug == "jardins"
