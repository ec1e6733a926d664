from tests.factories import make_community, make_member, make_thread


def test_home_in_french(client):
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.status_code == 200


def test_each_card_of_the_visitor_home_leads_somewhere(client):
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    cards = html[html.index('class="card-list"') :]
    cards = cards[: cards.index("</ul>")].split('<li class="card">')[1:]
    assert len(cards) == 4  # communities, initiatives, rencontres, mutual help
    assert all("<a href=" in card for card in cards)
    assert 'href="/solidarity"' in html


def test_factories_build_a_community_with_its_pair():
    from community.communities.permissions import can_moderate, is_gardener, is_member

    agent, maryse, lea = make_member("staff"), make_member(), make_member()
    community = make_community(technician=agent, citizen=maryse)
    make_thread(community)
    assert is_gardener(agent, community) and is_gardener(maryse, community)
    assert is_member(maryse, community) and not is_member(lea, community)
    assert can_moderate(maryse, community) and not can_moderate(lea, community)
