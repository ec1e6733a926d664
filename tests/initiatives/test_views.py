"""The HTML pages: browse, propose, declare, the initiative page, answers, includes."""

from __future__ import annotations

import io
import re

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select

from community.extensions import db
from community.initiatives import answers, backing, lifecycle, services, stories
from community.initiatives.models import Initiative, InitiativeUpdate
from tests.conftest import page_text
from tests.factories import make_neighbourhood, make_theme
from tests.html_parts import element
from tests.initiatives.factories import make_initiative
from tests.initiatives.test_api import ROLES, image_bytes, stored_files


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_browse_lists_and_filters(client, world):
    garden = make_initiative(world.author, community=world.community, title="Jardin des Tilleuls")
    make_initiative(world.author, informal=True, title="Courses solidaires")
    page = text_of(client.get("/initiatives"))
    assert "Jardin des Tilleuls" in page and "Courses solidaires" in page
    page = text_of(client.get("/initiatives?kind=informal"))
    assert "Courses solidaires" in page and "Jardin des Tilleuls" not in page
    page = text_of(client.get("/initiatives?q=tilleuls&status=proposed"))
    assert "Jardin des Tilleuls" in page and "Courses solidaires" not in page
    page = text_of(client.get(f"/initiatives?community={world.community.slug}&sort=supported"))
    assert f'/initiatives/{garden.id}"' in page and "Courses solidaires" not in page
    assert client.get("/initiatives?page=abc&theme_id=zzz&status=bogus").status_code == 200


def test_browse_query_count_stays_flat(client, world, queries):
    make_initiative(world.author, community=world.community)
    with queries() as few:
        client.get("/initiatives")
    for n in range(12):
        initiative = make_initiative(world.author, community=world.other if n % 2 else None)
        backing.support(world.citizen, initiative)
    with queries() as many:
        client.get("/initiatives")
    assert many.count == few.count


def test_initiative_page_shows_the_timeline_and_the_thread_link(client, world):
    initiative = make_initiative(world.author, community=world.community, title="Boîte à livres")
    lifecycle.change_status(
        world.gardener, initiative, "declined", "Une boîte existe déjà rue Haute.", "exists"
    )
    page = text_of(client.get(f"/initiatives/{initiative.id}"))
    assert "Boîte à livres" in page
    assert "Une boîte existe déjà rue Haute." in page
    assert f'href="/threads/{initiative.thread_id}"' in page
    assert 'class="timeline"' in page
    assert client.get("/initiatives/999999").status_code == 404


def test_a_done_initiative_credits_authors_and_volunteers(client, world):
    initiative = make_initiative(world.author, community=world.community)
    backing.volunteer(world.citizen, initiative, "Je peux porter")
    for status in ("accepted", "in_progress", "done"):
        lifecycle.change_status(world.gardener, initiative, status, "Bravo")
    page = text_of(client.get(f"/initiatives/{initiative.id}"))
    credits = page.split('id="credits"')[1].split("</section>")[0]
    assert world.author.display_name in credits and world.citizen.display_name in credits
    # The volunteer's message stays between them, the author and the gardeners.
    assert "Je peux porter" not in page


def test_propose_through_the_form(client, world):
    theme, place = make_theme(), make_neighbourhood()
    client.login_as(world.author)
    response = client.post_form(
        "/initiatives/new",
        {"title": "Fresque du marché", "summary": "Peindre le mur", "description": "",
         "theme_ids": [str(theme.id)], "neighbourhood_id": str(place.id),
         "community": world.community.slug, "needs": "peinture\npinceaux\n"},
    )  # fmt: skip
    assert response.status_code == 302
    initiative = db.session.execute(
        select(Initiative).where(Initiative.title == "Fresque du marché")
    ).scalar_one()
    assert response.headers["Location"].endswith(f"/initiatives/{initiative.id}")
    assert initiative.needs == ["peinture", "pinceaux"] and initiative.status == "proposed"
    assert initiative.community_id == world.community.id


def test_declare_through_the_form(client, world):
    theme, place = make_theme(), make_neighbourhood()
    client.login_as(world.author)
    response = client.post_form(
        "/initiatives/declare",
        {"title": "Potager partagé", "summary": "Depuis 2019", "theme_ids": [str(theme.id)],
         "neighbourhood_id": str(place.id), "community": ""},
    )  # fmt: skip
    assert response.status_code == 302
    initiative = db.session.execute(
        select(Initiative).where(Initiative.title == "Potager partagé")
    ).scalar_one()
    assert initiative.informal and initiative.status == "in_progress" and initiative.spontaneous


def test_a_declared_initiative_says_it_was_declared_and_asked_nothing(client, world):
    """It already runs: its page says "Déclarée par", and no "answer of the town" is awaited
    of a town that was asked nothing — until its author asks for help."""
    initiative = make_initiative(world.author, informal=True, title="Courses solidaires")
    client.login_as(world.author)
    page = text_of(client.get(f"/initiatives/{initiative.id}", headers={"Accept-Language": "fr"}))
    assert "Déclarée par" in page and "Proposée par" not in page
    assert "Réponse de la collectivité" not in page
    assert "Rien n'a été demandé à la collectivité." in page
    assert "Retirer ma déclaration" in page and "Retirer ma proposition" not in page
    answer = client.post_form(
        f"/initiatives/{initiative.id}/status",
        {"status-status": "under_review", "status-answer": "Une salle le samedi ?"},
    )
    assert answer.status_code == 302
    page = text_of(client.get(f"/initiatives/{initiative.id}", headers={"Accept-Language": "fr"}))
    assert "Réponse de la collectivité" in page


def test_a_bad_form_shows_errors_and_stores_nothing(client, world):
    client.login_as(world.author)
    response = client.post_form(
        "/initiatives/new", {"title": "", "summary": "x" * 400, "community": ""}
    )
    page = text_of(response)
    assert response.status_code == 422 and 'aria-invalid="true"' in page
    assert db.session.execute(select(func.count(Initiative.id))).scalar_one() == 0


HTML_ALLOWED = {
    "status": {"gardener", "staff", "admin"},
    "update": {"author", "gardener"},
    "edit": {"author"},
    "support": set(ROLES) - {"visitor", "author"},  # an author cannot support her own idea
    "help": set(ROLES) - {"visitor"},
    "propose": set(ROLES) - {"visitor"},
}


def html_call(client, act, initiative):
    base = f"/initiatives/{initiative.id}"
    if act == "status":
        return client.post_form(
            f"{base}/status", {"status-status": "accepted", "status-answer": "Oui"}
        )
    if act == "update":
        return client.post_form(f"{base}/updates", {"story-body": "Des nouvelles"})
    if act == "edit":
        return client.get(f"{base}/edit")
    if act == "support":
        return client.post_form(f"{base}/support")
    if act == "help":
        return client.post_form(f"{base}/participation", {"help-message": "Je viens"})
    return client.get("/initiatives/new")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", list(HTML_ALLOWED))
def test_html_permission_matrix(client, world, role, act):
    initiative = make_initiative(world.author, community=world.community)
    if role != "visitor":
        client.login_as(getattr(world, role))
    response = html_call(client, act, initiative)
    if role == "visitor":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    elif role in HTML_ALLOWED[act]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
    db.session.expire_all()
    changed = db.session.get(Initiative, initiative.id).status == "accepted"
    assert changed == (act == "status" and role in HTML_ALLOWED["status"])


def test_idor_gardener_of_another_community_gets_403(client, world):
    theirs = make_initiative(world.author, community=world.other)
    client.login_as(world.gardener)
    assert (
        client.post_form(
            f"/initiatives/{theirs.id}/status", {"status-status": "accepted"}
        ).status_code
        == 403
    )
    assert (
        client.post_form(f"/initiatives/{theirs.id}/updates", {"story-body": "x"}).status_code
        == 403
    )


def test_volunteers_are_shown_to_the_author_and_gardeners_only(client, world, as_member):
    initiative = make_initiative(world.author, community=world.community)
    backing.volunteer(world.citizen, initiative, "Une camionnette dispo")
    for member, sees in ((world.author, True), (world.gardener, True), (world.staff, False),
                         (world.member_of_it, False)):  # fmt: skip
        as_member()
        client.login_as(member)
        page = page_text(client.get(f"/initiatives/{initiative.id}"))
        assert ("Une camionnette dispo" in page) is sees, member
        if sees:  # her name, then the French colon (`colon()`): never alone on a line
            name = world.citizen.display_name
            assert f"<strong>{name}</strong>\u00a0: Une camionnette dispo" in page


def test_declining_in_html_without_answer_shows_the_error(client, world):
    initiative = make_initiative(world.author, community=world.community)
    client.login_as(world.gardener)
    response = client.post_form(
        f"/initiatives/{initiative.id}/status", {"status-status": "declined", "status-reason": ""}
    )
    assert response.status_code == 422
    assert "Un refus doit être expliqué" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Initiative, initiative.id).status == "proposed"


def test_html_photo_upload_of_a_wrong_type_stores_nothing(app, client, world):
    initiative = make_initiative(world.author, community=world.community)
    client.login_as(world.author)
    before = stored_files(app)
    response = client.post_form(
        f"/initiatives/{initiative.id}/updates",
        {"story-body": "Voici", "story-photo": (io.BytesIO(b"not an image at all"), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and 'id="story-photo-error"' in text_of(response)
    assert stored_files(app) == before
    assert db.session.execute(select(func.count(InitiativeUpdate.id))).scalar_one() == 0
    ok = client.post_form(
        f"/initiatives/{initiative.id}/updates",
        {"story-body": "Voici la photo", "story-photo": (io.BytesIO(image_bytes("JPEG")), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    page = text_of(client.get(f"/initiatives/{initiative.id}"))
    assert re.search(r'src="/initiatives/photos/[0-9a-f]{32}\.jpg"', page)


def test_a_rolled_back_photo_leaves_no_file(app, world):
    initiative = make_initiative(world.author)
    before = stored_files(app)
    db.session.begin_nested()
    stories.post_update(world.author, initiative, "Photo", stories.Photo(io.BytesIO(image_bytes())))
    assert len(stored_files(app) - before) == 1
    db.session.rollback()
    assert stored_files(app) == before


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("citizen", 403), ("gardener", 200), ("staff", 200)]
)
def test_awaiting_page_for_gardeners_and_staff(client, world, role, status):
    make_initiative(world.author, community=world.community, title="À répondre")
    if role != "visitor":
        client.login_as(getattr(world, role))
    response = client.get("/initiatives/awaiting")
    assert response.status_code == status
    if status == 200:
        assert "À répondre" in text_of(response)


def test_figures_page_is_public(client, world):
    initiative = make_initiative(world.author, community=world.community)
    lifecycle.change_status(world.gardener, initiative, "accepted", "Oui")
    page = text_of(client.get("/initiatives/figures"))
    assert world.community.name in page and "100" in page


def test_includes_render_for_the_dashboard_and_the_community_page(app, world):
    mine = make_initiative(world.author, community=world.community, title="Pour Maryse")
    make_initiative(world.author, community=world.other, title="Pas pour elle")
    lifecycle.change_status(
        world.gardener, make_initiative(world.author, community=world.community), "accepted", "Oui"
    )
    with app.test_request_context():
        login_user(world.gardener)
        awaiting = render_template_string('{% include "initiatives/_awaiting_answer.html" %}')
        figures = render_template_string(
            '{% include "initiatives/_figures.html" %}',
            community=world.community,
            figures=answers.response_figures(world.community),  # as the community page gives
        )
    assert "Pour Maryse" in awaiting and "Pas pour elle" not in awaiting
    assert f"/initiatives/{mine.id}" in awaiting
    assert "100" in figures


def test_initiative_page_query_count_stays_flat(client, world, queries):
    initiative = make_initiative(world.author, community=world.community)
    # One of each first (an empty collection loads nothing), then many more of each.
    backing.volunteer(world.citizen, initiative, "Présent")
    backing.support(world.citizen, initiative)
    lifecycle.change_status(world.gardener, initiative, "accepted", "Oui")
    stories.post_update(world.author, initiative, "Nouvelle 0")
    client.login_as(world.author)
    client.get(f"/initiatives/{initiative.id}")
    with queries() as few:
        client.get(f"/initiatives/{initiative.id}")
    for helper in [world.member_of_it, world.staff, world.admin]:
        backing.volunteer(helper, initiative, "Présent")
        backing.support(helper, initiative)
    lifecycle.change_status(world.gardener, initiative, "in_progress", "Oui")
    for n in range(1, 3):
        stories.post_update(world.author, initiative, f"Nouvelle {n}")
    with queries() as many:
        page = text_of(client.get(f"/initiatives/{initiative.id}"))
    assert page.count("Présent") == 4 and "Nouvelle 2" in page
    assert many.count <= few.count  # more supports, volunteers, answers and news: no more queries


def test_the_author_is_not_offered_to_lend_herself_a_hand(client, world, as_member):
    """Walked at 360 px: the author of a new proposal was asked "what can I bring?"."""
    initiative = make_initiative(world.author, community=world.community)
    client.login_as(world.author)
    page = text_of(client.get(f"/initiatives/{initiative.id}"))
    assert "Je donne un coup de main" not in page and "Retirer ma proposition" in page
    as_member()
    client.login_as(world.citizen)
    assert "Je donne un coup de main" in text_of(client.get(f"/initiatives/{initiative.id}"))


def test_proposing_from_a_community_ticks_its_theme(client, world):
    """Walked without JavaScript: from a community's page, the form was refused for want of a
    theme, the community's own."""
    client.login_as(world.citizen)
    html = client.get(f"/initiatives/new?community={world.community.slug}").get_data(as_text=True)
    box = html.split(f'value="{world.community.theme_id}"')[0].rsplit("<input", 1)[1]
    assert "checked" in box
    blank = client.get("/initiatives/new").get_data(as_text=True)
    assert "checked" not in blank.split('id="theme_ids"')[1].split("</ul>")[0]


def test_a_hidden_initiative_leaves_the_gardeners_pages(client, world):
    """The inbox, the dashboard and the awaiting page ask the one rule: hidden by the
    moderators, an overdue initiative waits for no answer (tests/initiatives/test_answers.py)."""
    from datetime import UTC, datetime, timedelta

    long_ago = datetime.now(UTC) - timedelta(days=40)
    hidden = make_initiative(
        world.author, community=world.community, awaiting_since=long_ago, title="Cachée pour tous"
    )
    make_initiative(
        world.author, community=world.community, awaiting_since=long_ago, title="Restée visible"
    )
    services.hide_initiative(world.agent, hidden, "Hors charte")
    client.login_as(world.gardener)
    for path in ("/todo", "/communities/dashboard", "/initiatives/awaiting"):
        page = text_of(client.get(path))
        assert "Restée visible" in page and "Cachée pour tous" not in page, path


@pytest.mark.parametrize(
    ("name", "informal", "expected"),
    [
        ("Chloé M.", False, "Proposée par Chloé M.</p>"),
        ("Ulysse Z.", True, "Déclarée par Ulysse Z.</p>"),
        ("Ulysse", True, "Déclarée par Ulysse.</p>"),
        ("Zoé d'Arc", False, "Proposée par Zoé d&#39;Arc.</p>"),  # escaped once
    ],
)
def test_no_double_full_stop_after_a_pseudonym(client, name, informal, expected):
    from tests.factories import make_member

    author = make_member(display_name=name)
    initiative = make_initiative(author, informal=informal)
    page = text_of(client.get(f"/initiatives/{initiative.id}"))
    assert expected in page and f"{name}.." not in page


def test_the_kind_badges_are_explained_in_plain_words(client, world):
    """ "Informelle" and "Spontanée" say what they mean: a title on the card's badge, a line
    under the list that shows them, and the initiative's page in full."""
    informal = make_initiative(world.author, informal=True, community=world.community)
    spontaneous = make_initiative(world.author)
    informal_words = "Informelle\u00a0: une action que des habitants mènent déjà."
    spontaneous_words = "Spontanée\u00a0: proposée hors d'une communauté."
    listing = page_text(client.get("/initiatives"))
    assert f'<span class="badge" title="{informal_words}">Informelle</span>' in listing
    assert f'<span class="badge" title="{spontaneous_words}">Spontanée</span>' in listing
    legend = element(listing, 'class="hint kinds-legend"')
    assert informal_words in legend and spontaneous_words in legend
    page = page_text(client.get(f"/initiatives/{informal.id}"))
    assert informal_words in page and spontaneous_words not in page
    page = page_text(client.get(f"/initiatives/{spontaneous.id}"))
    assert spontaneous_words in page and informal_words not in page
    # Only what the listed cards show is explained.
    listing = page_text(client.get(f"/initiatives?community={world.community.slug}&kind="))
    assert informal_words in element(listing, 'class="hint kinds-legend"')
    assert spontaneous_words not in listing


def test_the_figures_say_the_usual_wait_in_plain_words(client, world):
    from datetime import timedelta

    for days in (4, 5, 30):
        initiative = make_initiative(world.author, community=world.community)
        lifecycle.change_status(world.agent, initiative, "under_review", "Reçu.")
        initiative.answered_at = initiative.awaiting_since + timedelta(days=days, hours=1)
    db.session.flush()
    for path in ("/initiatives/figures", f"/communities/{world.community.slug}"):
        page = page_text(client.get(path))
        assert "En général, la réponse arrive en 5 jours." in page, path
        assert "médian" not in page
