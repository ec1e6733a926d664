"""A refused form opens on a summary (issue 13): at its top, `role=alert` and focusable, each
error names its field and links to it (`href="#<field id>"`), in French. One macro
(`macros/forms.html: form_errors`) gives it to every form."""

from __future__ import annotations

import html as html_lib
from html.parser import HTMLParser
from typing import Any

from tests.factories import make_community, make_member


class _Page(HTMLParser):
    """The ids of a page, and the summary's attributes, links and texts."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.summary: dict[str, str | None] | None = None
        self.links: list[tuple[str, str]] = []
        self._depth = 0  # inside the summary
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if self._depth:
            self._depth += 1
        elif "error-summary" in (attributes.get("class") or "").split():
            self.summary, self._depth = attributes, 1
        if self._depth and tag == "a":
            self._href, self._text = attributes.get("href"), ""

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(html_lib.unescape(self._text).split())))
            self._href = None
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data


def summary_of(response: Any) -> _Page:
    page = _Page()
    page.feed(response.get_data(as_text=True))
    assert page.summary is not None, "no error summary"
    assert page.summary.get("role") == "alert" and page.summary.get("tabindex") == "-1"
    for href, _text in page.links:
        assert href.startswith("#") and href[1:] in page.ids, f"{href} leads nowhere"
    return page


def test_sign_up_names_and_links_each_field(client: Any) -> None:
    response = client.post_form("/auth/signup", {"email": "a@example.org", "display_name": "a"})
    assert response.status_code == 422
    page = summary_of(response)
    assert page.links == [
        ("#display_name", "Pseudonyme : La longueur du champ doit être comprise entre 3 et 40 "
         "caractères."),
        ("#password", "Mot de passe : Ce champ est requis."),
        ("#accept_charter", "J'ai lu et j'accepte la charte de la plateforme : Cochez cette "
         "case pour accepter la charte."),
    ]  # fmt: skip
    assert "Le formulaire n'est pas envoyé" in html_lib.unescape(response.get_data(as_text=True))
    # What the service refuses after the form's own checks is summed up the same way.
    refused = client.post_form(
        "/auth/signup",
        {"email": "pas-un-email", "display_name": "Nadia", "password": "une phrase de passe",
         "accept_charter": "y"},
    )  # fmt: skip
    assert summary_of(refused).links == [
        ("#email", "E-mail : Saisissez une adresse e-mail valide.")
    ]


def test_a_choice_links_to_its_first_option(client: Any) -> None:
    client.login_as(make_member("staff"))
    response = client.post_form("/communities/new", {"name": "", "visibility": "nope"})
    assert response.status_code == 422
    hrefs = [href for href, _ in summary_of(response).links]
    assert "#name" in hrefs and "#visibility-0" in hrefs


def test_the_join_form_links_to_its_button(client: Any) -> None:
    community = make_community(charter="Respect", charter_html="<p>Respect</p>")
    client.login_as(make_member())
    response = client.post_form(f"/communities/{community.slug}/join", {})
    assert [href for href, _ in summary_of(response).links] == ["#accept_charter"]


def test_a_form_that_is_fine_has_no_summary(client: Any) -> None:
    assert b"error-summary" not in client.get("/auth/signup").get_data()


# A page that says "Le formulaire n'est pas envoyé" answers 422 and keeps nothing, whichever
# view rendered it (`core.handlers.form_refused`, called by the summary itself): these pages
# answered 200 to a refused form.
REFUSED: list[tuple[Any, ...]] = [
    ("visitor", "/auth/login"),
    ("visitor", "/auth/signup"),
    ("member", "/me/edit", {"display_name": "a"}),
    ("member", "/initiatives/new"),
    ("member", "/initiatives/declare"),
    ("member", "/solidarity/requests/new"),
    ("member", "/solidarity/offers/new"),
    ("staff", "/communities/new"),
    ("gardener", "/communities/{slug}/events/new"),
    ("gardener", "/communities/{slug}/ambassadors/name"),
    ("gardener", "/communities/{slug}/questionnaires/new"),
]


def test_every_refused_form_answers_422(client: Any) -> None:
    from community.extensions import db

    gardener, staff = make_member(), make_member("staff")
    community = make_community(citizen=gardener)
    people = {"member": make_member(), "staff": staff, "gardener": gardener}
    db.session.flush()
    for who, path, *data in REFUSED:
        if who == "visitor":
            with client.session_transaction() as session:
                session.clear()
        else:
            client.login_as(people[who])
        url = path.format(slug=community.slug)
        response = client.post_form(url, data[0] if data else {"title": "", "email": "x"})
        assert response.status_code == 422, (url, response.status_code)
        assert "error-summary" in response.get_data(as_text=True), url
