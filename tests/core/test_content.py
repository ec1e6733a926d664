import pytest

from community.core.content import plain_text, render_markdown
from community.core.privacy import contact_details_in


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
    ],
)
def test_contact_details_are_found(text, found):
    assert contact_details_in(text) == found
