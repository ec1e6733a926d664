from community.core.i18n import missing_french
from tests.factories import make_member


def test_every_interface_string_has_a_french_translation():
    missing = missing_french()
    assert missing == {}, f"French translations missing: {missing}"


def test_french_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="fr"' in html and "Agir ensemble" in html


def test_the_browser_language_is_followed(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in html and "Act together" in html


def test_a_visitor_can_choose_a_language(client):
    client.post_form("/language", {"lang": "en", "next": "/"})
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Act together" in html


def test_the_members_choice_wins_over_the_browser(client):
    member = make_member(locale="en")
    client.login_as(member)
    html = client.get("/me", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "My profile" in html


def test_no_message_is_translated_two_ways():
    """All catalogs merge into one: the same id must read the same everywhere."""
    from community.core.i18n import conflicting_french

    assert conflicting_french() == {}


def test_all_alone_says_what_it_agrees_with():
    """ "All" alone reads "Tous" or "Toutes" after the noun it qualifies ("Communauté :
    Toutes"): each use carries a context (`pgettext("community filter", "All")`)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    bare = []
    for path in root.glob("community/*/translations/fr/LC_MESSAGES/messages.po"):
        with path.open("rb") as handle:
            bare += [str(path) for m in read_po(handle) if m.id == "All" and not m.context]
    assert bare == []


def test_the_community_filter_reads_toutes(client):
    import re

    html = client.get("/initiatives").get_data(as_text=True)
    community = re.search(r'<select[^>]*name="community"[^>]*>\s*<option[^>]*>([^<]*)<', html)
    theme = re.search(r'<select[^>]*name="theme_id"[^>]*>\s*<option[^>]*>([^<]*)<', html)
    assert community and community.group(1) == "Toutes"
    assert theme and theme.group(1) == "Tous"


def test_the_plain_text_mails_are_extracted():
    """A mail's .txt part is translated like its .html part: every `_()` of a
    templates/<domain>/**/*.txt is in that domain's extracted catalog."""
    import re

    from community.core.i18n import TEMPLATES, extract

    found = {}
    for path in TEMPLATES.rglob("*.txt"):
        domain = path.relative_to(TEMPLATES).parts[0]
        for text in re.findall(r'_\("([^"]+)"', path.read_text()):
            found.setdefault(domain, set()).add(text)
    assert "See it on Terreau:" in found["notifications"]
    for domain, texts in found.items():
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract(domain)}
        assert texts <= ids, (domain, texts - ids)


def test_every_template_folder_is_extracted():
    """A folder of templates/ is a domain's, or one of the core's: none is left out of the
    catalogs (templates/home/ once was, and its strings stayed English)."""
    from community.core.i18n import CORE_TEMPLATE_DIRS, TEMPLATES, domains

    folders = {p.name for p in TEMPLATES.iterdir() if p.is_dir()}
    assert folders <= set(domains()) | set(CORE_TEMPLATE_DIRS)
