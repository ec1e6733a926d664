"""Every page has a way back, and the home page a way in: an initiative's discussion leads
back to the initiative, an outreach journal back to the missions (or to the community's
ambassadors for its gardeners), and the home page of staff and admins lists their tools —
each shortcut asking the same predicate as the page it opens."""

from __future__ import annotations

import re
from typing import Any

from community.extensions import db
from tests.ambassadors.factories import make_ambassador
from tests.conftest import page_text
from tests.factories import make_community, make_member
from tests.initiatives.factories import make_initiative


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#?]+)', html))


def test_an_initiatives_discussion_leads_back_to_it(client: Any, app: Any) -> None:
    with app.test_request_context():
        initiative = make_initiative(make_member(), title="Un composteur partagé")
    reader = make_member()
    db.session.commit()
    client.login_as(reader)
    html = page_text(client.get(f"/threads/{initiative.thread_id}"))
    back = "Retour à l'initiative «\u00a0Un composteur partagé\u00a0»"
    assert f'<a href="/initiatives/{initiative.id}">{back}</a>' in html


def test_the_outreach_journal_leads_back(client: Any) -> None:
    gardener, ambassador = make_member(), make_member()
    community = make_community(citizen=gardener, members=(ambassador,))
    mandate = make_ambassador(ambassador, community)
    client.login_as(ambassador)
    html = page_text(client.get(f"/ambassadors/{mandate.id}/outreach"))
    assert '<a href="/ambassadors">Retour à mes missions</a>' in html
    client.login_as(gardener)
    html = page_text(client.get(f"/ambassadors/{mandate.id}/outreach"))
    back = f"/communities/{community.slug}/ambassadors/name"
    assert f'<a href="{back}">' in html and client.get(back).status_code == 200


def test_the_home_page_of_an_admin_lists_her_tools_and_each_opens(client: Any) -> None:
    admin = make_member("admin")
    client.login_as(admin)
    html = client.get("/").get_data(as_text=True)
    tools = re.search(r'<section[^>]*aria-labelledby="tools-title".*?</section>', html, re.S)
    assert tools and "Mes outils" in tools.group(0)
    assert tools, "no tools on the admin's home page"
    links = _links(tools.group(0))
    assert {"/admin/territory/", "/moderation", "/observatory", "/communities/new"} <= links
    for link in links:
        assert client.get(link).status_code == 200, link
    # A citizen has no tools, and no empty section.
    client.login_as(make_member())
    assert 'aria-labelledby="tools-title"' not in client.get("/").get_data(as_text=True)
