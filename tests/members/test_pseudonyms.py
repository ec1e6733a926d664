"""Look-alike pseudonyms (issue 12, finding 15): a Cyrillic "М" cannot pass for an "M"."""

from __future__ import annotations

import pytest

from community.core.errors import Invalid
from community.members import services
from community.members.pseudonyms import skeleton
from tests.conftest import page_text
from tests.factories import make_member


@pytest.mark.parametrize(
    "taken,look_alike",
    [
        ("Maryse", "\u041caryse"),  # Cyrillic capital EM
        ("Marc Dupont", "Marc Dup\u043ent"),  # Cyrillic small O
        ("Paul", "PauI"),  # capital i for a small L
        ("Olivier", "0livier"),  # zero for O
        ("Jean-Luc", "Jean Luc"),
        ("Maryse", "\uff2daryse"),  # full-width M
        ("Léa", "Lea"),  # accents: one name to a reader
        ("Léa", "\u029féa"),  # small capital L
        ("Lea", "LÉA"),
        ("Émile", "Emile"),
        # Transliterated: another script or a letter of another alphabet is the same name.
        ("Karim", "Kärim"),
        ("Karim", "\u041a\u0430rim"),  # Cyrillic capital KA and small A
        ("Kärim", "\u041a\u0430rim"),
        ("Olaf", "\u00d8laf"),  # Ø
        ("Lukasz", "\u0141ukasz"),  # Ł
        ("Dorde", "\u0110or\u0111e"),  # Đorđe
        ("Aesa", "\u00c6sa"),  # Æ
    ],
)
def test_a_look_alike_of_a_taken_pseudonym_is_refused(taken, look_alike):
    make_member(display_name=taken)
    with pytest.raises(Invalid) as refused:
        services.check_display_name(look_alike)
    assert refused.value.errors == {
        "display_name": [
            "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom."
        ]
    }


@pytest.mark.parametrize("taken,other", [("Anne", "Anna"), ("Ali", "All"), ("Léa", "Léo")])
def test_different_names_stay_different(taken, other):
    make_member(display_name=taken)
    assert services.check_display_name(other) == other


def test_the_skeleton_is_stored_and_kept_up_to_date(sql):
    member = make_member(display_name="Maryse")
    assert member.display_name_skeleton == skeleton("Maryse") == skeleton("MARYSE")
    member.display_name = "Ma\u0440yse"  # any change goes through the model
    assert member.display_name_skeleton == skeleton("Mapyse")


def test_sign_up_with_a_gardeners_name_in_cyrillic_is_refused(client, outbox):
    make_member(display_name="Paul Gardon")
    response = client.post_form(
        "/auth/signup",
        {
            "email": "imposteur@example.org",
            "display_name": "\u0420aul Gardon",  # Cyrillic capital ER: a "P" to the eye
            "password": "une phrase de passe",
            "accept_charter": "y",
        },
    )
    assert (
        "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom."
        in page_text(response)
        and outbox.messages == []
    )


def test_keeping_ones_own_name_is_not_a_clash():
    member = make_member(display_name="Maryse")
    assert services.check_display_name("MARYSE", member) == "MARYSE"


# --- invisible characters, reserved names (attacker walk: "Yanis\u3164" passed for "Yanis") ---

INVISIBLE = [
    "Yanis\u3164",  # HANGUL FILLER after the name
    "\u3164Yanis",  # … before it
    "Ya\u1160nis",  # HANGUL JUNGSEONG FILLER
    "Yanis\uffa0",  # HALFWIDTH HANGUL FILLER
    "\u115fYanis",  # HANGUL CHOSEONG FILLER
    "Yan\u200bis",  # ZERO WIDTH SPACE
    "Yanis\u2800",  # BRAILLE PATTERN BLANK
    "Ya\u00adnis",  # SOFT HYPHEN
    "Yanis\U000e0041",  # TAG LATIN CAPITAL LETTER A
]
RESERVED = [
    "Admin", "ADMIN", "Adm1n", "Modération", "Équipe de modération", "Terreau",
    "Terreau officiel", "L'équipe Terreau", "compte supprimé", "Compte-Supprime",
    "Deleted account", "Mairie", "Staff",
]  # fmt: skip


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_pseudonym_with_invisible_characters_is_refused(name):
    with pytest.raises(Invalid) as refused:
        services.check_display_name(name)
    assert "invisibles" in refused.value.errors["display_name"][0]


@pytest.mark.parametrize("name", RESERVED)
def test_a_name_of_the_platform_or_of_an_erased_account_is_refused(name):
    with pytest.raises(Invalid) as refused:
        services.check_display_name(name)
    assert refused.value.errors == {
        "display_name": ["Réservé à la plateforme\u00a0: choisissez votre propre nom."]
    }


@pytest.mark.parametrize(
    "name",
    ["Teddy", "Ilan", "Léa Delmaire", "Staffan", "Magenta", "Badminton 92", "Marie", "Agnès"],
)
def test_names_that_merely_hold_the_letters_of_a_role_stay_free(name):
    assert services.check_display_name(name) == name


# --- role words, anywhere in a name (security review: "Karim agent" passed for an agent) ---

ROLES = [
    ("Karim agent", "agent"),
    ("Karim (modération)", "modération"),
    ("Karim [Modération]", "modération"),
    ("Agent Karim", "agent"),
    ("KARIM AGENT", "agent"),
    ("Karim Agênt", "agent"),
    ("Karim \u0410gent", "agent"),  # Cyrillic capital A
    ("Karim Agents", "agent"),
    ("KarimAgent", "agent"),
    ("Léa Admin", "admin"),
    ("Léa Adm1n", "admin"),
    ("Léa Ad min", "admin"),
    ("Claire (mairie)", "mairie"),
    ("Léa la Maire", "maire"),
    ("Jardinier Paul", "jardinier"),
    ("Maryse jardinière", "jardinière"),
    ("Porte-voix Yanis", "porte-voix"),
    ("Yanis porte voix", "porte-voix"),
    ("Sophie ModératRice", "modératrice"),
    ("Paul technicien", "technicien"),
    ("Anne Technicienne", "technicienne"),
    ("Collectivité Nord", "collectivité"),
    ("Léa ambassadrice", "ambassadrice"),
    ("Ambassadeur Sam", "ambassadeur"),
    ("Hugo modérateur", "modérateur"),
    ("Hugo administrateur", "administrateur"),
    ("Staff Hugo", "staff"),
]


@pytest.mark.parametrize("name,word", ROLES)
def test_a_role_word_anywhere_in_a_name_is_refused(name, word):
    with pytest.raises(Invalid) as refused:
        services.check_display_name(name)
    assert refused.value.errors == {
        "display_name": [
            f"«\u00a0{word}\u00a0» est le nom d'un rôle\u00a0: choisissez un nom sans ce mot."
        ]
    }
    assert word in refused.value.message


def test_the_command_line_may_name_the_platforms_own_account():
    assert services.check_display_name("Administration", reserved_ok=True) == "Administration"


def test_existing_members_keep_their_names_only_new_names_are_checked(client):
    member = make_member(display_name="Adm1n")  # from before the rule
    assert services.check_display_name("Adm1n", member) == "Adm1n"
    client.login_as(member)
    kept = client.post_form(
        "/me/edit",
        {"display_name": "Adm1n", "bio": "Bonjour", "locale": "fr", "neighbourhood_id": ""},
    )
    assert kept.status_code == 302 and member.bio == "Bonjour"
    with pytest.raises(Invalid):
        services.check_display_name("Admin", member)


@pytest.mark.parametrize(
    "name", ["Yanis\u3164", "Lea", "Admin", "compte supprimé", "Karim agent", "\u041aarim"]
)
def test_the_api_refuses_impersonating_names(client, api_token, name):
    make_member(display_name="Yanis")
    make_member(display_name="Léa")
    make_member(display_name="Karim")
    member = make_member(display_name="Sans souci")
    response = client.patch(
        "/api/v1/me",
        json={"display_name": name},
        headers={**api_token(member), "Accept-Language": "fr"},
    )
    assert response.status_code == 422 and "display_name" in response.get_json()["errors"]
    assert member.display_name == "Sans souci"


@pytest.mark.parametrize("name", ["Yanis\u3164", "\u029féa", "Terreau"])
def test_the_profile_form_refuses_impersonating_names(client, name):
    make_member(display_name="Yanis")
    make_member(display_name="Léa")
    member = make_member(display_name="Sans souci")
    client.login_as(member)
    response = client.post_form(
        "/me/edit", {"display_name": name, "locale": "fr", "neighbourhood_id": ""}
    )
    assert response.status_code in (200, 422) and member.display_name == "Sans souci"
    text = page_text(response)
    assert (
        "invisibles" in text
        or "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom." in text
        or "Réservé à la plateforme" in text
    )


@pytest.mark.parametrize(
    "name", ["\u3164Yanis", "Lea", "Compte supprimé", "Karim (modération)", "K\u00e4rim"]
)
def test_sign_up_refuses_impersonating_names(client, outbox, name):
    make_member(display_name="Yanis")
    make_member(display_name="Léa")
    make_member(display_name="Karim")
    page = client.post_form(
        "/auth/signup",
        {
            "email": "imposteur@example.org",
            "display_name": name,
            "password": "une phrase de passe",
            "accept_charter": "y",
        },
    )
    text = page_text(page)
    assert any(
        said in text
        for said in (
            "invisibles",
            "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom.",
            "Réservé à la plateforme",
            "rôle",
        )
    )
    api = client.post(
        "/api/v1/members",
        json={"email": "imposteur2@example.org", "display_name": name,
              "password": "une phrase de passe", "accept_charter": True},
    )  # fmt: skip
    assert api.status_code == 422 and "display_name" in api.get_json()["errors"]
    assert outbox.messages == []
