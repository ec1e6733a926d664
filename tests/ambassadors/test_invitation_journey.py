"""Invitations that welcome: the landing page, QR code, flyer, and membership after confirming."""

from __future__ import annotations

import re
from typing import Any

import pytest

from community.ambassadors import invitations
from community.communities.models import GardenerMandate, Membership
from community.extensions import db
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.conftest import page_text
from tests.factories import make_community, make_member, make_membership, make_neighbourhood

FR = {"Accept-Language": "fr"}


def world(visibility: str = "open") -> Any:
    aicha = make_member(display_name="Aïcha")
    community = make_community(
        "Zéro déchet aux Tilleuls",
        visibility=visibility,
        members=(aicha,),
        description="Trier, composter, réparer.",
        charter="Respect et bonne humeur.",
        charter_html="<p>Respect et bonne humeur.</p>",
    )
    ambassador = make_ambassador(aicha, community)
    return aicha, community, ambassador, make_invitation(ambassador, "marché du samedi")


def sign_up(client: Any, token: str, email: str = "nora@example.org") -> Any:
    return client.post_form(
        f"/auth/signup?invitation={token}",
        {
            "email": email,
            "display_name": "Nora",
            "password": "une phrase de passe",
            "accept_charter": "y",
            "invitation": token,
        },
        headers=FR,
    )


def confirm(client: Any, outbox: Any, email: str = "nora@example.org") -> Any:
    [mail] = outbox.to(email)
    link = next(url for url in outbox.links_in(mail) if "/auth/confirm/" in url)
    path = re.sub(r"^https?://[^/]+", "", link)
    # Confirming asks for the password chosen at sign-up (issue 12: a link alone logs nobody in).
    return client.post_form(path, {"password": "une phrase de passe"}, headers=FR)


def status_of(email: str, community: Any) -> str | None:
    from community.members.models import Member

    member = db.session.execute(db.select(Member).filter_by(email=email)).scalar_one()
    row = db.session.execute(
        db.select(Membership).filter_by(member_id=member.id, community_id=community.id)
    ).scalar_one_or_none()
    return row.status if row is not None else None


def test_the_landing_page_says_who_invites_to_what(client) -> None:
    _, _community, _, invitation = world()
    html = page_text(client.get(f"/invitations/{invitation.token}", headers=FR))
    assert "Aïcha vous invite à rejoindre Zéro déchet aux Tilleuls" in html
    assert "Trier, composter, réparer." in html
    assert f"/auth/signup?invitation={invitation.token}" in html
    assert f"/auth/login?next=/invitations/{invitation.token}" in html
    assert "Vous êtes alors membre de Zéro déchet aux Tilleuls." in html


def test_the_sign_up_page_of_a_link_names_the_community(client) -> None:
    _, _, _, invitation = world("on_request")
    html = page_text(client.get(f"/auth/signup?invitation={invitation.token}", headers=FR))
    assert "Aïcha vous invite à rejoindre «\u00a0Zéro déchet aux Tilleuls\u00a0»." in html
    asks = "votre demande pour rejoindre «\u00a0Zéro déchet aux Tilleuls\u00a0» partira chez"
    assert asks in html
    assert "vous acceptez aussi la charte de Zéro déchet aux Tilleuls" in html


@pytest.mark.parametrize("visibility, expected", [("open", "active"), ("on_request", "pending")])
def test_after_confirming_the_newcomer_is_in_the_community(
    client, outbox, visibility, expected
) -> None:
    _, community, _, invitation = world(visibility)
    response = sign_up(client, invitation.token)
    assert response.status_code == 302
    sent = page_text(client.get("/auth/signup/sent", headers=FR))
    assert "Nous avons envoyé un e-mail à nora@example.org." in sent  # the address typed
    assert status_of("nora@example.org", community) is None  # not before confirming
    response = confirm(client, outbox)
    assert response.status_code == 302
    # A member at once lands in the community's welcome thread (issue 13, part A); a request
    # waits on the community's page.
    landing = f"/communities/{community.slug}" + ("/welcome" if expected == "active" else "")
    assert response.headers["Location"].endswith(landing)
    assert status_of("nora@example.org", community) == expected
    html = page_text(client.get(response.headers["Location"], headers=FR, follow_redirects=True))
    if expected == "active":
        assert "Vous êtes maintenant membre de Zéro déchet aux Tilleuls." in html
    else:
        assert "Votre demande pour rejoindre Zéro déchet aux Tilleuls est envoyée." in html
        membership = db.session.execute(
            db.select(Membership).filter_by(community_id=community.id, status="pending")
        ).scalar_one()
        assert "Aïcha" in membership.request_message  # the gardeners see who brought her


def html_of(mail: Any) -> str:
    import html

    for part in mail.walk():
        if part.get_content_type() == "text/html":
            return html.unescape(part.get_payload(decode=True).decode(part.get_content_charset()))
    raise AssertionError("no HTML part")


@pytest.mark.parametrize(
    "visibility, next_step",
    [
        ("open", "vous serez membre de «\u00a0Zéro déchet aux Tilleuls\u00a0»."),
        (
            "on_request",
            "votre demande pour rejoindre «\u00a0Zéro déchet aux Tilleuls\u00a0» partira chez",
        ),
    ],
)
def test_the_confirmation_mail_says_who_invites_to_what(
    client, outbox, visibility, next_step
) -> None:
    _, _, _, invitation = world(visibility)
    invites = "Aïcha vous invite à rejoindre «\u00a0Zéro déchet aux Tilleuls\u00a0»."
    assert sign_up(client, invitation.token).status_code == 302
    [mail] = outbox.to("nora@example.org")  # over the SMTP server
    # A subject is one line of ordinary spaces (`core.edge.single_line`).
    assert mail["Subject"] == "Rejoindre « Zéro déchet aux Tilleuls » : confirmez votre e-mail"
    for body in (outbox.text_of(mail), html_of(mail)):
        assert invites in body and next_step in body
        assert "/auth/confirm/" in body
    # The page that follows, and the one her mail's link opens, say the same.
    sent = page_text(client.get("/auth/signup/sent", headers=FR))
    assert invites in sent and next_step in sent
    assert f'href="/auth/signup?invitation={invitation.token}"' in sent  # a wrong address
    link = next(url for url in outbox.links_in(mail) if "/auth/confirm/" in url)
    confirming = page_text(client.get(re.sub(r"^https?://[^/]+", "", link), headers=FR))
    assert invites in confirming and next_step in confirming
    # Asked again at login (not confirmed yet): the new mail says it too.
    outbox.clear()
    client.post_form(
        "/auth/login", {"email": "nora@example.org", "password": "une phrase de passe"}, headers=FR
    )
    [again] = outbox.to("nora@example.org")
    assert invites in outbox.text_of(again)


def test_an_address_with_an_account_gets_the_same_page(client, outbox) -> None:
    _, _, _, invitation = world()
    make_member(email="nora@example.org", display_name="Nora déjà là")
    sign_up(client, invitation.token)
    sent = page_text(client.get("/auth/signup/sent", headers=FR))
    assert "Aïcha vous invite à rejoindre «\u00a0Zéro déchet aux Tilleuls\u00a0»." in sent
    [mail] = outbox.to("nora@example.org")  # its owner is told, not invited
    assert "vous invite" not in outbox.text_of(mail)


def test_a_mail_without_an_invitation_says_none(client, outbox) -> None:
    world()
    client.post_form(
        "/auth/signup",
        {
            "email": "lina@example.org",
            "display_name": "Lina",
            "password": "une phrase de passe",
            "accept_charter": "y",
        },
        headers=FR,
    )
    [mail] = outbox.to("lina@example.org")
    assert mail["Subject"] == "Bienvenue sur Terreau : confirmez votre e-mail"
    assert "vous invite" not in outbox.text_of(mail) and "vous invite" not in html_of(mail)
    assert "vous invite" not in page_text(client.get("/auth/signup/sent", headers=FR))


def test_a_neighbourhood_ambassador_invites_to_terreau_only(client, outbox) -> None:
    place = make_neighbourhood("Bellevue")
    ambassador = make_ambassador(make_member(display_name="Sam"), neighbourhood=place)
    invitation = make_invitation(ambassador)
    html = page_text(client.get(f"/invitations/{invitation.token}", headers=FR))
    assert "Sam vous invite à rejoindre Terreau à Bellevue" in html
    sign_up(client, invitation.token)
    [mail] = outbox.to("nora@example.org")
    assert "Sam vous invite à rejoindre Terreau à Bellevue." in outbox.text_of(mail)
    # Invited to Terreau only: she is asked her neighbourhood and themes (issue 13, part A).
    assert confirm(client, outbox).headers["Location"].endswith("/communities/for-me")


def test_a_dead_link_still_welcomes(client) -> None:
    _, _, _ambassador, invitation = world()
    from community.core.models import utcnow

    invitation.revoked_at = utcnow()
    db.session.flush()
    response = client.get(f"/invitations/{invitation.token}", headers=FR)
    assert response.status_code == 404
    assert "Ce lien d'invitation ne marche plus" in page_text(response)
    assert client.get("/invitations/" + "x" * 5000, headers=FR).status_code == 404


def test_a_member_already_in_does_not_join_twice(client) -> None:
    _aicha, community, _, invitation = world()
    nora = make_member()
    make_membership(community, nora)
    client.login_as(nora)
    html = page_text(client.get(f"/invitations/{invitation.token}", headers=FR))
    assert "Vous êtes membre de cette communauté." in html
    assert f"/communities/{community.slug}/join" not in html
    assert invitations.join_invited_community(nora) is None  # not signed up through the link


@pytest.mark.parametrize("visibility", ["open", "on_request"])
def test_someone_with_an_account_joins_from_the_link_in_one_tap(client, visibility) -> None:
    """The invitation's page offers the community page's own form: the charter, and the
    button that accepts it (no detour through the community's page)."""
    _aicha, community, _, invitation = world(visibility)
    nora = make_member()
    client.login_as(nora)
    html = page_text(client.get(f"/invitations/{invitation.token}", headers=FR))
    assert "Vous avez déjà un compte" in html
    assert "Respect et bonne humeur." in html  # the charter she accepts by joining
    assert f'action="/communities/{community.slug}/join"' in html
    answer = client.post_form(
        f"/communities/{community.slug}/join", {"accept_charter": "y"}, headers=FR
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert status_of(nora.email, community) == ("active" if visibility == "open" else "pending")


def test_someone_banned_from_it_is_not_offered_to_join(client) -> None:
    _aicha, community, _, invitation = world()
    nora = make_member()
    make_membership(community, nora, status="banned")
    client.login_as(nora)
    html = page_text(client.get(f"/invitations/{invitation.token}", headers=FR))
    assert f"/communities/{community.slug}/join" not in html
    assert f'href="/communities/{community.slug}"' in html
    assert "Vous ne pouvez pas rejoindre cette communauté pour le moment." in html


def test_one_of_its_gardeners_is_told_so(client) -> None:
    _aicha, community, _, invitation = world()
    karim = make_member()
    make_community("Autre", technician=karim)  # gardens another one: not this one
    db.session.add(GardenerMandate(community=community, member=karim, side="technician"))
    db.session.flush()
    client.login_as(karim)
    html = page_text(client.get(f"/invitations/{invitation.token}", headers=FR))
    assert "Vous êtes l'un de ses jardiniers." in html
    assert f"/communities/{community.slug}/join" not in html


@pytest.mark.parametrize("status", ["refused", "banned_until_yesterday"])
def test_the_link_offers_to_join_again_as_the_community_page_does(client, status) -> None:
    """A request refused, a suspension over: the community's page offers to join (or ask)
    again, and so does the invitation's page — it told her only to go to the community."""
    from datetime import timedelta

    from community.core.models import utcnow

    _aicha, community, _, invitation = world("on_request")
    nora = make_member()
    if status == "refused":
        make_membership(community, nora, status="refused")
    else:
        membership = make_membership(community, nora, status="banned")
        membership.banned_until = utcnow() - timedelta(days=1)
    db.session.flush()
    client.login_as(nora)
    join = f'action="/communities/{community.slug}/join"'
    assert join in page_text(client.get(f"/communities/{community.slug}", headers=FR))
    assert join in page_text(client.get(f"/invitations/{invitation.token}", headers=FR))


def test_qr_code_and_flyer_are_the_ambassadors_own(client) -> None:
    aicha, _community, _, invitation = world()
    assert client.get(f"/ambassadors/invitations/{invitation.id}/qr.svg").status_code in (302, 401)
    client.login_as(make_member())
    assert client.get(f"/ambassadors/invitations/{invitation.id}/flyer").status_code == 403
    client.login_as(aicha)
    qr = client.get(f"/ambassadors/invitations/{invitation.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.get_data(as_text=True).lstrip().startswith(("<?xml", "<svg"))
    flyer = page_text(client.get(f"/ambassadors/invitations/{invitation.id}/flyer", headers=FR))
    assert "Rejoignez Zéro déchet aux Tilleuls" in flyer
    assert "Une invitation de Aïcha, porte-voix." in flyer
    assert f"/invitations/{invitation.token}" in flyer
    assert "css/flyer.css" in flyer and "<script>" not in flyer
    mine = page_text(client.get("/ambassadors", headers=FR))
    assert "Copier le lien" in mine and "Partager" in mine and "Affichette à imprimer" in mine
    assert f"/invitations/{invitation.token}" in mine


def test_the_qr_code_holds_the_link(app) -> None:
    _aicha, _community, _, invitation = world()
    with app.test_request_context():
        svg = invitations.qr_svg(invitation)
        assert "<svg" in svg and invitations.share_url(invitation).endswith(invitation.token)


def test_the_flyer_prints_on_a5() -> None:
    from pathlib import Path

    css = Path("static/css/flyer.css").read_text()
    assert "size: A5" in css and "@media print" in css
