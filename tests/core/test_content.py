import pytest

from community.core.content import plain_text, render_markdown
from community.core.privacy import contact_details_in, find_contact_details, what_was_found


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown("**Bonjour** <script>alert(1)</script> [lien](javascript:alert(1))")
    assert "<strong>Bonjour</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, not run
    assert 'href="javascript' not in html


def test_links_get_safe_rel_and_headings_are_demoted():
    html = render_markdown("# Titre\n\n[site](https://example.org)")
    assert "<h1>" not in html and "<h3>Titre</h3>" in html
    assert 'rel="nofollow noopener ugc"' in html


def test_raw_html_and_images_are_not_kept():
    html = render_markdown("<img src=x onerror=alert(1)> ![img](https://evil.example/x.png)")
    assert "<img" not in html and "&lt;img" in html


def test_plain_text_removes_tags():
    assert plain_text("<b>gras</b>") == "gras"


@pytest.mark.parametrize(
    "text,found",
    [
        ("écrivez-moi à jean.dupont@example.fr", ["email"]),
        ("appelez le 06 12 34 56 78", ["phone"]),
        ("ou +33 6 12 34 56 78", ["phone"]),
        ("ou 06.12.34.56.78", ["phone"]),
        ("nous étions 12 au marché du 14 mai 2026", []),
        ("rendez-vous à 18h30, 3 rue des Lilas", []),
        ("Rendez-vous le 12/03/2026", []),
        ("Rendez-vous le 12.03.2026 à 14h30", []),
        ("Rendez-vous le 2026-03-12 de 10h à 12h", []),
        ("nous étions 12 12 12 12", []),
        ("Budget : 1 200 000 euros, 35 000 € en 2026, 120 personnes", []),
        ("code postal 75012, bâtiment 3, escalier 12", []),
        ("06 12 34 56 78", ["phone"]),
        ("+33 6 12 34 56 78", ["phone"]),
        ("01.23.45.67.89", ["phone"]),
        ("0612345678 ou 06-12-34-56-78", ["phone"]),
        ("0033 6 12 34 56 78", ["phone"]),
        ("+44 20 7946 0958", ["phone"]),
        ("le 12/03/2026, jean@example.fr ou 06 12 34 56 78", ["email", "phone"]),
        ("une adresse invalide jean@@example ou a@b", []),
    ],
)
def test_contact_details_are_found(text, found):
    assert contact_details_in(text) == found


def test_the_refusal_names_what_it_found(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        found = what_was_found("Appelez le 06 12 34 56 78")
        assert found == "un numéro de téléphone (06 12 34 56 78)"
        assert what_was_found("jean@example.fr") == "une adresse e-mail (jean@example.fr)"
        assert what_was_found("Rendez-vous le 12/03/2026 à 14h30") == ""


@pytest.mark.parametrize(
    "text",
    ["\x00" * 10, "0" * 100_000, '"*NEAR( 06 ) @@@.' * 1000, "06" * 50_000, "a@" * 50_000],
)
def test_odd_or_huge_texts_are_scanned_without_error(text):
    assert isinstance(find_contact_details(text), list)
