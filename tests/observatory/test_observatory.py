"""The observatory: staff only, every published number suppressed by the same rule."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.core.models import utcnow
from community.core.suppression import Published
from community.extensions import db
from community.observatory import services
from community.solidarity.models import HelpOffer, HelpProposal, HelpRequest, SolidaritySignal
from tests.factories import (
    make_community,
    make_member,
    make_membership,
    make_neighbourhood,
    make_theme,
)
from tests.observatory.attack import recovered_below


def in_last_quarter(days: int = 10):  # type: ignore[no-untyped-def]
    """A moment inside the last complete quarter: what the doors publish by default."""
    from community.observatory.releases import parse_release

    return parse_release(None)[1].start + timedelta(days=days)


def forget_releases() -> None:
    """Empty the release ledger (a test that changes the data of a released quarter)."""
    from sqlalchemy import delete

    from community.observatory.models import ObservatoryRelease

    db.session.execute(delete(ObservatoryRelease))


URLS = ("/observatory", "/api/v1/observatory/summary", "/api/v1/observatory/cells.csv")


def roles():  # type: ignore[no-untyped-def]
    return {
        "visitor": None,
        "citizen": make_member(),
        "member_of_it": make_member(),
        "citizen_gardener": make_member(),
        "technician_gardener": make_member("staff"),
        "staff": make_member("staff"),
        "admin": make_member("admin"),
    }


ALLOWED = {"technician_gardener", "staff", "admin"}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "who",
    [
        "visitor",
        "citizen",
        "member_of_it",
        "citizen_gardener",
        "technician_gardener",
        "staff",
        "admin",
    ],
)
def test_only_staff_and_admins_read_the_observatory(client, api_token, url, who) -> None:  # type: ignore[no-untyped-def]
    people = roles()
    make_community(
        technician=people["technician_gardener"],
        citizen=people["citizen_gardener"],
        members=(people["member_of_it"],),
    )
    member = people[who]
    if member is not None:
        if url.startswith("/api/"):
            response = client.get(url, headers=api_token(member))
        else:
            client.login_as(member)
            response = client.get(url)
    else:
        response = client.get(url)
    if who in ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code == (401 if who == "visitor" else 403)
        assert "min_cell" not in response.get_data(as_text=True)


def _rows(
    theme,
    place,
    requests: int = 0,
    matched: int = 0,
    unanswered: int = 0,
    offers: int = 0,
    signals: int = 0,
    when=None,
):  # type: ignore[no-untyped-def]
    """Insert rows straight away (many of them, quickly) for one cell."""
    author = _rows.author  # type: ignore[attr-defined]
    now = when or in_last_quarter()
    later = now + timedelta(days=60)
    objects: list[object] = []
    for index in range(requests):
        status = "matched" if index < matched else "open"
        request = HelpRequest(
            author_id=author.id,
            theme_id=theme.id,
            neighbourhood_id=place.id,
            text="x",
            text_html="x",
            status=status,
            created_at=now,
            expires_at=later,
        )
        objects.append(request)
        if index < matched:
            objects.append(
                HelpProposal(
                    request=request, helper_id=author.id, status="accepted", accepted_at=now
                )
            )
        elif index >= matched + unanswered:
            objects.append(HelpProposal(request=request, helper_id=author.id, status="proposed"))
    objects += [
        HelpOffer(
            author_id=author.id,
            theme_id=theme.id,
            neighbourhood_id=place.id,
            text="x",
            text_html="x",
            created_at=now,
        )
        for _ in range(offers)
    ]
    objects += [
        SolidaritySignal(
            theme_id=theme.id,
            neighbourhood_id=place.id,
            kind="other",
            people=2,
            contact="no",
            created_at=now,
        )
        for _ in range(signals)
    ]
    db.session.add_all(objects)


cell_counts = st.tuples(
    st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)
).map(
    lambda t: {
        "requests": t[0],
        "matched": min(t[1], t[0]),
        "unanswered": min(t[2], t[0] - min(t[1], t[0])),
        "offers": t[3],
        "signals": t[4],
    }
)


def published_from_json(data: dict, key: str, n_places: int, n_themes: int) -> Published:  # type: ignore[type-arg]
    cells = [
        [data["cells"][i * n_themes + j][key] for j in range(n_themes)] for i in range(n_places)
    ]
    return Published(
        cells,
        [row[key] for row in data["neighbourhood_totals"]],
        [row[key] for row in data["theme_totals"]],
        data["totals"][key],
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 3)), data=st.data())
def test_api_and_csv_leak_no_small_count(client, api_token, shape, data) -> None:  # type: ignore[no-untyped-def]
    try:
        n_places, n_themes = shape
        staff = make_member("staff")
        _rows.author = staff  # type: ignore[attr-defined]
        places = sorted((make_neighbourhood() for _ in range(n_places)), key=lambda p: p.name)
        themes = sorted((make_theme() for _ in range(n_themes)), key=lambda t: t.name)
        truth: dict[str, list[list[int]]] = {
            k: [[0] * n_themes for _ in range(n_places)]
            for k in (
                "help_requests",
                "matches",
                "unanswered_requests",
                "help_offers",
                "solidarity_signals",
            )
        }
        for i, place in enumerate(places):
            for j, theme in enumerate(themes):
                counts = data.draw(cell_counts)
                _rows(
                    theme,
                    place,
                    counts["requests"],
                    counts["matched"],
                    counts["unanswered"],
                    counts["offers"],
                    counts["signals"],
                )
                truth["help_requests"][i][j] = counts["requests"]
                truth["matches"][i][j] = counts["matched"]
                truth["unanswered_requests"][i][j] = counts["unanswered"]
                truth["help_offers"][i][j] = counts["offers"]
                truth["solidarity_signals"][i][j] = counts["signals"]
        db.session.flush()
        # Themes and neighbourhoods of the data set only (the session may hold others: none here).
        headers = api_token(staff)
        summary = client.get("/api/v1/observatory/summary", headers=headers).get_json()
        assert summary["min_cell"] == 5
        assert [c["neighbourhood"]["id"] for c in summary["cells"][::n_themes]] == [
            p.id for p in places
        ]
        rows = list(
            csv.DictReader(
                io.StringIO(
                    client.get("/api/v1/observatory/cells.csv", headers=headers).get_data(
                        as_text=True
                    )
                )
            )
        )
        # The CSV says exactly what the JSON says.
        for key in summary["measures"]:
            from_csv = [None if r[key] == "" else int(r[key]) for r in rows]
            from_json = (
                [c[key] for c in summary["cells"]]
                + [r[key] for r in summary["neighbourhood_totals"]]
                + [r[key] for r in summary["theme_totals"]]
                + [summary["totals"][key]]
            )
            assert from_csv == from_json
        for key in ("help_offers", "solidarity_signals"):
            published = published_from_json(summary, key, n_places, n_themes)
            assert recovered_below([published], [truth[key]], 5, [1]) == []
            _check_values(published, truth[key])
        family = ("help_requests", "matches", "unanswered_requests")
        published_family = [published_from_json(summary, key, n_places, n_themes) for key in family]
        if n_places * n_themes <= 4:
            # The linked search is exponential: run it on small grids (the engine's own
            # tests cover the family rule more widely).
            assert recovered_below(published_family, [truth[k] for k in family], 5, [1, 0, 0]) == []
        for published, key, low in zip(published_family, family, (1, 0, 0), strict=True):
            assert recovered_below([published], [truth[key]], 5, [low]) == []
        for published, key in zip(published_family, family, strict=True):
            _check_values(published, truth[key])
    finally:
        # Leave an empty grid for the next example (one test transaction holds them all).
        from sqlalchemy import delete

        from community.territory.models import Neighbourhood, Theme

        for model in (HelpProposal, HelpRequest, HelpOffer, SolidaritySignal, Theme, Neighbourhood):
            db.session.execute(delete(model))
        forget_releases()
        db.session.expunge_all()


def _check_values(published: Published, truth: list[list[int]]) -> None:
    for row_p, row_t in zip(published.cells, truth, strict=True):
        for shown, value in zip(row_p, row_t, strict=True):
            assert shown is None or shown == value
            assert not (0 < value < 5 and shown is not None)


def test_summary_shape_and_small_cells(client, api_token) -> None:  # type: ignore[no-untyped-def]
    staff = make_member("staff")
    _rows.author = staff  # type: ignore[attr-defined]
    a, b = make_neighbourhood("Aubépine"), make_neighbourhood("Bruyère")
    food, care = make_theme("Alimentation"), make_theme("Bien-vieillir")
    _rows(food, a, offers=12, signals=2)
    _rows(care, a, offers=7)
    _rows(food, b, offers=9)
    _rows(care, b, offers=3)
    db.session.flush()
    data = client.get("/api/v1/observatory/summary", headers=api_token(staff)).get_json()
    assert data["min_cell"] == 5
    cell = {(c["neighbourhood"]["name"], c["theme"]["name"]): c for c in data["cells"]}
    assert len(cell) == 4
    assert cell[("Bruyère", "Bien-vieillir")]["help_offers"] is None  # 3 < 5
    # A lone small cell would be recomputed from its row: its partners are hidden too.
    assert (
        sum(
            v is None
            for v in (
                cell[("Bruyère", "Alimentation")]["help_offers"],
                data["neighbourhood_totals"][1]["help_offers"],
            )
        )
        >= 1
    )
    assert cell[("Aubépine", "Bien-vieillir")]["solidarity_signals"] == 0  # zeros are shown
    assert set(data["measures"]) >= {
        "members",
        "memberships",
        "help_offers",
        "help_requests",
        "matches",
        "unanswered_requests",
        "solidarity_signals",
    }


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13",
        "start=2026-05&end=2026-01",
        "start=2025-01&end=2025-12",  # a free range: refused, whatever it is
        "end=2025-11",
        "period=2025",  # a year
        "period=2025-03",  # a month
        "period=2025-Q5",
        "period=9999-Q1",  # the future
        "period=1999-Q4",
        "period=nope",
    ],
)
def test_only_whole_past_quarters_are_published(client, api_token, query) -> None:  # type: ignore[no-untyped-def]
    staff = make_member("staff")
    for url in ("/api/v1/observatory/summary", "/api/v1/observatory/cells.csv"):
        response = client.get(f"{url}?{query}", headers=api_token(staff))
        assert response.status_code == 422 and "period" in response.get_json()["errors"]
    client.login_as(staff)
    assert client.get(f"/observatory?{query}").status_code == 422


def test_the_running_quarter_is_not_published(client, api_token) -> None:  # type: ignore[no-untyped-def]
    from community.observatory.releases import quarter_key, quarter_of

    staff = make_member("staff")
    current = quarter_key(*quarter_of(utcnow()))
    response = client.get(f"/api/v1/observatory/summary?period={current}", headers=api_token(staff))
    assert response.status_code == 422


def test_period_filters_counts(client, api_token) -> None:  # type: ignore[no-untyped-def]
    from community.observatory.releases import previous, quarter_key, quarter_of, quarter_period

    staff = make_member("staff")
    _rows.author = staff  # type: ignore[attr-defined]
    place, theme = make_neighbourhood(), make_theme()
    last = in_last_quarter()
    before_quarter = previous(*quarter_of(last))
    before = quarter_key(*before_quarter)
    _rows(theme, place, offers=6, when=quarter_period(*before_quarter).start + timedelta(days=3))
    _rows(theme, place, offers=8)
    db.session.flush()
    recent = client.get("/api/v1/observatory/summary", headers=api_token(staff)).get_json()
    assert recent["totals"]["help_offers"] == 8 and recent["period"]["release"] is not None
    earlier = client.get(
        f"/api/v1/observatory/summary?period={before}", headers=api_token(staff)
    ).get_json()
    assert earlier["totals"]["help_offers"] == 6 and earlier["period"]["release"] == before


def test_a_quarter_publishes_the_same_numbers_forever(client, api_token) -> None:  # type: ignore[no-untyped-def]
    """The ledger: what changes after a quarter's first release (a late row, a match, an
    erased account) never changes what it publishes, so releases cannot be differenced."""
    staff = make_member("staff")
    _rows.author = staff  # type: ignore[attr-defined]
    place, theme = make_neighbourhood(), make_theme()
    _rows(theme, place, requests=9, offers=12, signals=7)
    db.session.flush()
    headers = api_token(staff)
    first = client.get("/api/v1/observatory/summary", headers=headers).get_json()
    csv_first = client.get("/api/v1/observatory/cells.csv", headers=headers).get_data()
    _rows(theme, place, requests=1, matched=1, offers=1, signals=1)  # one more of each, late
    db.session.flush()
    assert client.get("/api/v1/observatory/summary", headers=headers).get_json() == first
    assert client.get("/api/v1/observatory/cells.csv", headers=headers).get_data() == csv_first
    client.login_as(staff)
    page = client.get("/observatory?measure=help_offers").get_data(as_text=True)
    grid = page.split('<caption id="grid-caption">')[1].split("</table>")[0]
    assert "<td>12</td>" in grid and "<td>13</td>" not in grid, grid


def test_page_has_accessible_charts_and_numbers(client) -> None:  # type: ignore[no-untyped-def]
    staff = make_member("staff")
    _rows.author = staff  # type: ignore[attr-defined]
    _rows(make_theme(), make_neighbourhood(), requests=7, offers=2)
    db.session.flush()
    client.login_as(staff)
    html = client.get("/observatory").get_data(as_text=True)
    assert html.count('role="img"') == 4
    assert html.count('<title id="chart-') == 4 and html.count('<desc id="chart-') == 4
    assert "<table" in html and "trend-table" in html
    # Periods in words, not codes: "juillet à septembre 2026", "juillet 2026" (not 2026-Q3).
    caption = html.split('<caption id="grid-caption">')[1].split("</caption>")[0]
    assert "-Q" not in caption and re.search(r"[a-zéû]+ à [a-zéû]+ \d{4}", caption), caption
    month = html.split('class="trend-table"')[1].split('<th scope="row">')[1].split("<")[0]
    assert re.fullmatch(r"[a-zéû]+ \d{4}", month), month
    assert (
        "Besoin" not in html
        and staff.display_name not in html.split("<main")[1].split("</main>")[0]
    )


def test_page_query_count_is_constant(client, queries) -> None:  # type: ignore[no-untyped-def]
    staff = make_member("staff")
    _rows.author = staff  # type: ignore[attr-defined]
    places = [make_neighbourhood() for _ in range(3)]
    themes = [make_theme() for _ in range(3)]
    community = make_community(theme=themes[0])
    client.login_as(staff)
    _rows(themes[0], places[0], requests=2, offers=1, signals=1)
    db.session.flush()
    with queries() as log:
        assert client.get("/observatory").status_code == 200
    few = log.count
    forget_releases()  # the same quarter, computed again from more rows
    for place in places:
        for theme in themes:
            _rows(theme, place, requests=6, matched=2, unanswered=2, offers=7, signals=5)
    for _ in range(12):
        member = make_member(neighbourhood_id=places[1].id)
        make_membership(community, member)
    make_community(theme=themes[1])
    db.session.flush()
    with queries() as log:
        assert client.get("/observatory").status_code == 200
    assert log.count == few


def test_network_links_only_large_overlaps() -> None:
    a, b, c, d = (make_community(name=f"C{i}") for i in range(4))
    shared = [make_member() for _ in range(6)]
    for m in shared:
        make_membership(a, m)
        make_membership(b, m)
    few = [make_member() for _ in range(3)]
    for m in few:
        make_membership(b, m)
        make_membership(c, m)
    for m in [make_member() for _ in range(5)]:
        make_membership(c, m)
        make_membership(b, m)
    from community.observatory.network import network

    net = network(5)
    pairs = {(link.a.name, link.b.name): link.shared for link in net.links}
    assert pairs == {("C0", "C1"): 6, ("C1", "C2"): 8}
    assert [x.name for x in net.bridges] == ["C1"]
    assert [x.name for x in net.isolated] == ["C3"]
    # 3 shared members alone would draw no link.
    assert all(v >= 5 for v in pairs.values())
    assert d is not None


def test_under_the_radar(client) -> None:  # type: ignore[no-untyped-def]
    staff = make_member("staff")
    _rows.author = staff  # type: ignore[attr-defined]
    place, other = make_neighbourhood("Zone A"), make_neighbourhood("Zone B")
    theme, covered_theme = make_theme("Isolement"), make_theme("Jardins")
    make_community(theme=covered_theme)
    _rows(theme, place, requests=3, signals=6)
    _rows(covered_theme, other, signals=2, offers=4)
    db.session.flush()
    from community.observatory.radar import radar

    result = radar(services.summary(services.parse_period(None, None)))
    uncovered = {item.neighbourhood.name: item.count for item in result.uncovered_signals}
    assert uncovered == {"Zone A": 6}
    assert [(i.neighbourhood.name, i.theme.name) for i in result.requests_without_offers] == [
        ("Zone A", "Isolement")
    ]
    assert all(i.count is None or i.count >= 5 for i in result.requests_without_offers)
    client.login_as(staff)  # the page's lists: the number after the French colon
    assert "<li>Zone A\u00a0: 6</li>" in client.get("/observatory").get_data(as_text=True)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_no_combination_of_releases_gives_back_a_small_count(client, api_token, data) -> None:  # type: ignore[no-untyped-def]
    """Every release the API allows for two adjacent quarters — each quarter, again after
    more rows, and every free range, year or month asked for (refused) — and an attacker that
    solves all of them together recovers no small count. The ranges that once gave a hidden
    December back (January–December minus January–November) are refused."""
    from community.observatory.releases import previous, quarter_key, quarter_of, quarter_period

    try:
        staff = make_member("staff")
        _rows.author = staff  # type: ignore[attr-defined]
        headers = api_token(staff)
        places = sorted((make_neighbourhood() for _ in range(2)), key=lambda p: p.name)
        themes = sorted((make_theme() for _ in range(2)), key=lambda t: t.name)
        last = quarter_of(in_last_quarter())
        quarters = [previous(*last), last]
        truth: dict[str, list[list[int]]] = {}
        for q in quarters:
            grid = [[data.draw(st.integers(0, 9)) for _ in themes] for _ in places]
            truth[quarter_key(*q)] = grid
            when = quarter_period(*q).start + timedelta(days=5)
            for i, place in enumerate(places):
                for j, theme in enumerate(themes):
                    _rows(theme, place, offers=grid[i][j], when=when)
        db.session.flush()
        shown: list[Published] = []
        tables: list[list[list[int]]] = []
        for key, grid in truth.items():
            summary = client.get(
                f"/api/v1/observatory/summary?period={key}", headers=headers
            ).get_json()
            shown.append(published_from_json(summary, "help_offers", 2, 2))
            tables.append(grid)
            # Released again after a late row: the same numbers (nothing to subtract).
            _rows(themes[0], places[0], offers=1, when=quarter_period(*quarters[0]).start)
            db.session.flush()
            again = client.get(f"/api/v1/observatory/summary?period={key}", headers=headers)
            assert again.get_json() == summary
        year = quarters[1][0]
        for refused in (
            f"start={year}-01&end={year}-12",
            f"start={year}-01&end={year}-11",
            f"period={year}",
            f"period={year}-12",
        ):
            answer = client.get(f"/api/v1/observatory/summary?{refused}", headers=headers)
            assert answer.status_code == 422
        # The releases are about disjoint rows: together they tie no hidden count to another;
        # the attacker solves each system and the union of their facts.
        for published, grid in zip(shown, tables, strict=True):
            assert recovered_below([published], [grid], 5, [1]) == []
            _check_values(published, grid)
    finally:
        from sqlalchemy import delete

        from community.territory.models import Neighbourhood, Theme

        for model in (HelpProposal, HelpRequest, HelpOffer, SolidaritySignal, Theme, Neighbourhood):
            db.session.execute(delete(model))
        forget_releases()
        db.session.expunge_all()


def test_derived_figures_come_from_published_values_only() -> None:
    """The median of "reached little" is the median of the numbers shown, and a hidden
    number is listed whatever its value: nothing pins a hidden number."""
    from community.observatory.radar import radar

    places = [make_neighbourhood(f"Q{i}") for i in range(5)]
    for place, n in zip(places, (1, 2, 3, 20, 30), strict=True):
        for _ in range(n):
            make_member(neighbourhood_id=place.id)
    db.session.flush()
    result = radar(services.summary(services.parse_period(None, None)))
    shown = {p.neighbourhood.name: p.count for p in result.reach if p.neighbourhood in places}
    visible = sorted(v for v in shown.values() if v is not None)
    assert shown["Q0"] is None and shown["Q1"] is None
    assert result.reach_median in {float(v) for v in visible} | {
        (visible[k] + visible[k + 1]) / 2 for k in range(len(visible) - 1)
    }
    low = {p.neighbourhood.name for p in result.low_reach}
    assert {name for name, v in shown.items() if v is None} <= low


def test_page_figures_are_kept_a_short_while(app, client, queries, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """OBSERVATORY_CACHE_SECONDS: the second view of a quarter reuses its figures (same page,
    fewer queries), even from another session; 0 computes them at each request."""
    from community.core.cache import clear_all

    staff = make_member("staff")
    _rows.author = staff  # type: ignore[attr-defined]
    _rows(make_theme(), make_neighbourhood(), requests=7, offers=2)
    make_community(name="Isolée")  # the network's communities are kept too
    db.session.flush()
    client.login_as(staff)
    monkeypatch.setitem(app.config, "OBSERVATORY_CACHE_SECONDS", 60)
    clear_all()
    try:
        with queries() as first:
            html = client.get("/observatory").get_data(as_text=True)
        db.session.expunge_all()  # the kept places outlive the session that loaded them
        with queries() as second:
            again = client.get("/observatory").get_data(as_text=True)
        main = lambda page: page.split("<main")[1].split("</main>")[0]  # noqa: E731
        assert main(again) == main(html) and 'role="img"' in again and "Isolée" in again
        assert second.count < first.count
    finally:
        clear_all()
