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
        ("Agent Dupont", "Agent Dup\u043ent"),  # Cyrillic small O
        ("Paul", "PauI"),  # capital i for a small L
        ("Olivier", "0livier"),  # zero for O
        ("Jean-Luc", "Jean Luc"),
        ("Maryse", "\uff2daryse"),  # full-width M
    ],
)
def test_a_look_alike_of_a_taken_pseudonym_is_refused(taken, look_alike):
    make_member(display_name=taken)
    with pytest.raises(Invalid) as refused:
        services.check_display_name(look_alike)
    assert refused.value.errors == {"display_name": ["Déjà pris."]}


@pytest.mark.parametrize("taken,other", [("Léa", "Lea"), ("Anne", "Anna"), ("Ali", "All")])
def test_different_names_stay_different(taken, other):
    make_member(display_name=taken)
    assert services.check_display_name(other) == other


def test_the_skeleton_is_stored_and_kept_up_to_date(sql):
    member = make_member(display_name="Maryse")
    assert member.display_name_skeleton == skeleton("Maryse") == skeleton("MARYSE")
    member.display_name = "Ma\u0440yse"  # any change goes through the model
    assert member.display_name_skeleton == skeleton("Mapyse")


def test_sign_up_with_a_gardeners_name_in_cyrillic_is_refused(client, outbox):
    make_member(display_name="Jardinier Paul")
    response = client.post_form(
        "/auth/signup",
        {
            "email": "imposteur@example.org",
            "display_name": "Jardinier \u0420aul",
            "password": "une phrase de passe",
            "accept_charter": "y",
        },
    )
    assert "Déjà pris." in page_text(response) and outbox.messages == []


def test_keeping_ones_own_name_is_not_a_clash():
    member = make_member(display_name="Maryse")
    assert services.check_display_name("MARYSE", member) == "MARYSE"
