"""The JSON API: names of DESIGN.md, the permission matrix (with IDOR), bad input, photos."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from community.extensions import db
from community.initiatives import backing, lifecycle
from community.initiatives.models import Initiative, InitiativeUpdate
from tests.factories import make_neighbourhood, make_theme
from tests.initiatives.factories import make_initiative

ROLES = [
    "visitor",
    "citizen",
    "member_of_it",
    "author",
    "gardener",
    "other_gardener",
    "staff",
    "admin",
]


def headers_for(world, role, api_token):
    return {} if role == "visitor" else api_token(getattr(world, role))


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 120, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def test_initiative_json_has_the_names_of_the_design(client, world):
    initiative = make_initiative(world.author, community=world.community, needs=["une salle"])
    lifecycle.change_status(
        world.gardener, initiative, "declined", "Pas de budget cette année.", "budget"
    )
    body = client.get(f"/api/v1/initiatives/{initiative.id}").get_json()
    names = [
        "id",
        "title",
        "summary",
        "description",
        "themes",
        "neighbourhood",
        "community",
        "needs",
        "informal",
        "status",
        "support_count",
        "thread_id",
        "status_changes",
    ]
    assert set(names) <= set(body)
    assert body["community"] == world.community.slug
    assert body["needs"] == ["une salle"]
    assert body["status"] == "declined"
    assert body["thread_id"] == initiative.thread_id
    assert body["status_changes"] == [
        {"status": "declined", "answer": "Pas de budget cette année.", "reason": "budget",
         "at": body["status_changes"][0]["at"]}
    ]  # fmt: skip
    assert body["status_changes"][0]["at"].endswith("+00:00")
    assert "email" not in str(body["author"]) and set(body["author"]) == {"id", "display_name"}


def test_create_then_list_with_filters(client, world, api_token):
    theme, place = make_theme(), make_neighbourhood()
    response = client.post(
        "/api/v1/initiatives",
        json={"title": "Repair café", "summary": "Réparer ensemble", "theme_ids": [theme.id],
              "neighbourhood_id": place.id, "community": world.community.slug,
              "needs": ["des tournevis"]},
        headers=api_token(world.author),
    )  # fmt: skip
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "proposed" and created["thread_id"]
    make_initiative(world.author, informal=True, title="Potager du square")
    listed = client.get(f"/api/v1/initiatives?theme_id={theme.id}").get_json()
    assert [i["id"] for i in listed] == [created["id"]]
    informal = client.get("/api/v1/initiatives?informal=true").get_json()
    assert [i["title"] for i in informal] == ["Potager du square"]
    spontaneous = client.get("/api/v1/initiatives?spontaneous=true").get_json()
    assert [i["title"] for i in spontaneous] == ["Potager du square"]
    found = client.get("/api/v1/initiatives?q=r%C3%A9parer").get_json()
    assert [i["id"] for i in found] == [created["id"]]
    in_community = client.get(f"/api/v1/initiatives?community={world.community.slug}").get_json()
    assert [i["id"] for i in in_community] == [created["id"]]


def test_declare_informal_through_the_api(client, world, api_token):
    theme, place = make_theme(), make_neighbourhood()
    response = client.post(
        "/api/v1/initiatives",
        json={"title": "Courses pour Mme R.", "summary": "Entre voisins", "theme_ids": [theme.id],
              "neighbourhood_id": place.id, "informal": True},
        headers=api_token(world.author),
    )  # fmt: skip
    body = response.get_json()
    assert response.status_code == 201 and body["informal"] and body["status"] == "in_progress"
    assert body["community"] is None


def test_sort_by_most_supported_and_pagination(client, world):
    quiet = make_initiative(world.author, title="Calme")
    popular = make_initiative(world.author, title="Populaire")
    backing.support(world.citizen, popular)
    backing.support(world.staff, popular)
    backing.support(world.citizen, quiet)
    make_initiative(world.author, title="Récente")
    rows = client.get("/api/v1/initiatives?sort=supported&page_size=2").get_json()
    assert [r["title"] for r in rows] == ["Populaire", "Calme"]
    response = client.get("/api/v1/initiatives?sort=supported&page_size=2&page=2")
    assert [r["title"] for r in response.get_json()] == ["Récente"]
    assert '"total": 3' in response.headers["X-Pagination"]
    newest = client.get("/api/v1/initiatives").get_json()
    assert newest[0]["title"] == "Récente"


def test_list_query_count_stays_flat(client, world, queries):
    for _ in range(2):
        make_initiative(world.author, community=world.community)
    with queries() as few:
        assert client.get("/api/v1/initiatives?page_size=50").status_code == 200
    for n in range(10):
        initiative = make_initiative(world.author, community=world.other if n % 2 else None)
        backing.support(world.citizen, initiative)
        lifecycle.change_status(world.staff, initiative, "accepted", "D'accord")
    with queries() as many:
        assert len(client.get("/api/v1/initiatives?page_size=50").get_json()) == 12
    assert many.count == few.count


EXPECTED = {
    # act: roles allowed (the others get 403, a visitor 401)
    "status": {"gardener", "staff", "admin"},
    "patch": {"author"},
    "updates": {"author", "gardener"},
    "volunteers": {"author", "gardener"},
    "support": set(ROLES) - {"visitor", "author"},  # an author cannot support her own idea
    "unsupport": set(ROLES) - {"visitor"},
    "participation": set(ROLES) - {"visitor"},
    "unparticipate": set(ROLES) - {"visitor"},
    "create": set(ROLES) - {"visitor"},
    "read": set(ROLES),
}


def call(client, act, initiative, headers):
    base = f"/api/v1/initiatives/{initiative.id}"
    if act == "status":
        return client.post(
            f"{base}/status", json={"status": "accepted", "answer": "Oui"}, headers=headers
        )
    if act == "patch":
        return client.patch(base, json={"title": "Titre changé"}, headers=headers)
    if act == "updates":
        return client.post(f"{base}/updates", json={"body": "Première récolte !"}, headers=headers)
    if act == "volunteers":
        return client.get(f"{base}/participation", headers=headers)
    if act == "support":
        return client.post(f"{base}/support", headers=headers)
    if act == "unsupport":
        return client.delete(f"{base}/support", headers=headers)
    if act == "participation":
        return client.post(
            f"{base}/participation", json={"message": "J'ai une perceuse"}, headers=headers
        )
    if act == "unparticipate":
        return client.delete(f"{base}/participation", headers=headers)
    if act == "create":
        theme, place = make_theme(), make_neighbourhood()
        return client.post(
            "/api/v1/initiatives",
            json={"title": "Une idée", "summary": "Courte", "theme_ids": [theme.id],
                  "neighbourhood_id": place.id, "community": initiative.community.slug},
            headers=headers,
        )  # fmt: skip
    return client.get(base, headers=headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", list(EXPECTED))
def test_permission_matrix(client, world, api_token, role, act):
    initiative = make_initiative(world.author, community=world.community)
    before = (initiative.status, initiative.title)
    response = call(client, act, initiative, headers_for(world, role, api_token))
    if role in EXPECTED[act]:
        assert response.status_code in (200, 201, 204), response.get_json()
    else:
        assert response.status_code == (401 if role == "visitor" else 403), response.get_json()
        assert response.get_json()["code"] == (
            "unauthenticated" if role == "visitor" else "forbidden"
        )
        db.session.expire_all()
        assert (initiative.status, initiative.title) == before
        assert db.session.execute(select(func.count(InitiativeUpdate.id))).scalar_one() == 0


def test_idor_another_communitys_gardener_cannot_answer_or_tell(client, world, api_token):
    """A gardener of one community tries the initiatives of another, by id."""
    theirs = make_initiative(world.author, community=world.other)
    headers = api_token(world.gardener)
    base = f"/api/v1/initiatives/{theirs.id}"
    assert (
        client.post(f"{base}/status", json={"status": "accepted"}, headers=headers).status_code
        == 403
    )
    assert client.post(f"{base}/updates", json={"body": "x"}, headers=headers).status_code == 403
    assert client.get(f"{base}/participation", headers=headers).status_code == 403
    assert client.patch(base, json={"title": "Volé"}, headers=headers).status_code == 403
    db.session.expire_all()
    assert db.session.get(Initiative, theirs.id).status == "proposed"


def test_unknown_initiative_is_404(client, world, api_token):
    response = client.post("/api/v1/initiatives/999999/support", headers=api_token(world.citizen))
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


def test_support_twice_answers_200_and_counts_once(client, world, api_token):
    initiative = make_initiative(world.author)
    headers = api_token(world.citizen)
    first = client.post(f"/api/v1/initiatives/{initiative.id}/support", headers=headers)
    second = client.post(f"/api/v1/initiatives/{initiative.id}/support", headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json() == {
        "initiative_id": initiative.id,
        "supported": True,
        "support_count": 1,
    }
    assert (
        client.delete(f"/api/v1/initiatives/{initiative.id}/support", headers=headers).status_code
        == 204
    )
    assert client.get(f"/api/v1/initiatives/{initiative.id}").get_json()["support_count"] == 0


def test_declined_without_answer_is_422(client, world, api_token):
    initiative = make_initiative(world.author, community=world.community)
    response = client.post(
        f"/api/v1/initiatives/{initiative.id}/status",
        json={"status": "declined", "reason": "budget"},
        headers=api_token(world.gardener),
    )
    assert response.status_code == 422
    assert "answer" in response.get_json()["errors"]
    bad_move = client.post(
        f"/api/v1/initiatives/{initiative.id}/status",
        json={"status": "done", "answer": "Fini"},
        headers=api_token(world.gardener),
    )
    assert bad_move.status_code == 422 and "status" in bad_move.get_json()["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"summary": "s", "theme_ids": [], "neighbourhood_id": 1}, "title"),
        ({"title": "x" * 2000, "summary": "s", "neighbourhood_id": 1}, "title"),
        (
            {"title": "Titre", "summary": "s", "theme_ids": [987654], "neighbourhood_id": None},
            "neighbourhood_id",
        ),
        (
            {"title": "Titre", "summary": "s", "theme_ids": ["un"], "neighbourhood_id": 1},
            "theme_ids",
        ),
        ({"title": "Titre", "summary": "s", "neighbourhood_id": 1, "status": "done"}, "status"),
    ],
)
def test_bad_input_422_nothing_stored(client, world, api_token, payload, field):
    response = client.post("/api/v1/initiatives", json=payload, headers=api_token(world.author))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.session.execute(select(func.count(Initiative.id))).scalar_one() == 0


def test_unknown_theme_is_a_clear_422(client, world, api_token):
    place = make_neighbourhood()
    response = client.post(
        "/api/v1/initiatives",
        json={
            "title": "Titre",
            "summary": "s",
            "theme_ids": [987654],
            "neighbourhood_id": place.id,
        },
        headers=api_token(world.author),
    )
    assert response.status_code == 422
    assert (
        response.get_json()["errors"] == {"theme_ids": ["Unknown theme."]}
        or "theme_ids" in response.get_json()["errors"]
    )
    assert db.session.execute(select(func.count(Initiative.id))).scalar_one() == 0


def upload_folder(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "initiatives"


def stored_files(app) -> set[str]:
    folder = upload_folder(app)
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_update_with_a_photo_is_resized_and_served(app, client, world, api_token):
    initiative = make_initiative(world.author, community=world.community)
    before = stored_files(app)
    response = client.post(
        f"/api/v1/initiatives/{initiative.id}/updates",
        data={
            "body": "Le **bac** est installé",
            "photo": (io.BytesIO(image_bytes(size=(3200, 1000))), "bac.png"),
        },
        headers=api_token(world.author),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert "<strong>bac</strong>" in body["body_html"]
    new = stored_files(app) - before
    assert len(new) == 1
    with Image.open(upload_folder(app) / new.pop()) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 1600
    served = client.get(body["photo_url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    served.close()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"GIF89a" + b"\x00" * 100, "anim.gif"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image.svg"),
        (b"%PDF-1.4 not an image", "doc.pdf"),
        (b"", "vide.png"),
    ],
)
def test_unsupported_photo_is_refused_and_nothing_stored(
    app, client, world, api_token, content, name
):
    initiative = make_initiative(world.author, community=world.community)
    before = stored_files(app)
    response = client.post(
        f"/api/v1/initiatives/{initiative.id}/updates",
        data={"body": "Une photo", "photo": (io.BytesIO(content), name)},
        headers=api_token(world.author),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "photo" in response.get_json()["errors"]
    assert stored_files(app) == before
    assert db.session.execute(select(func.count(InitiativeUpdate.id))).scalar_one() == 0


def test_a_real_gif_is_refused_too(app, client, world, api_token):
    initiative = make_initiative(world.author)
    response = client.post(
        f"/api/v1/initiatives/{initiative.id}/updates",
        data={"body": "Un gif", "photo": (io.BytesIO(image_bytes("GIF")), "a.gif")},
        headers=api_token(world.author),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


def test_a_photo_too_large_is_refused_and_nothing_stored(app, client, world, api_token):
    initiative = make_initiative(world.author)
    app.config["INITIATIVE_PHOTO_MAX_BYTES"] = 1000
    before = stored_files(app)
    try:
        response = client.post(
            f"/api/v1/initiatives/{initiative.id}/updates",
            data={
                "body": "Grande photo",
                "photo": (io.BytesIO(image_bytes("BMP", (200, 200))), "big.bmp"),
            },
            headers=api_token(world.author),
            content_type="multipart/form-data",
        )
    finally:
        del app.config["INITIATIVE_PHOTO_MAX_BYTES"]
    assert response.status_code == 422
    assert "trop lourde" in response.get_json()["errors"]["photo"][0]
    assert stored_files(app) == before
    assert db.session.execute(select(func.count(InitiativeUpdate.id))).scalar_one() == 0


def test_photo_names_cannot_walk_the_disk(client):
    assert client.get("/initiatives/photos/..%2F..%2Fconfig.py").status_code == 404
    assert client.get("/initiatives/photos/abc.jpg").status_code == 404


def test_openapi_documents_the_initiative_rows(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path in ("/api/v1/initiatives", "/api/v1/initiatives/{initiative_id}",
                 "/api/v1/initiatives/{initiative_id}/status",
                 "/api/v1/initiatives/{initiative_id}/support",
                 "/api/v1/initiatives/{initiative_id}/participation",
                 "/api/v1/initiatives/{initiative_id}/updates"):  # fmt: skip
        assert path in paths, path


def test_patch_checks_its_input_and_closed_initiatives(client, world, api_token):
    initiative = make_initiative(world.author)
    headers = api_token(world.author)
    url = f"/api/v1/initiatives/{initiative.id}"
    assert client.patch(url, json={"title": ""}, headers=headers).status_code == 422
    assert client.patch(url, json={"owner": 1}, headers=headers).status_code == 422
    ok = client.patch(url, json={"needs": ["une échelle"]}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["needs"] == ["une échelle"]
    lifecycle.change_status(world.author, initiative, "withdrawn")
    closed = client.patch(url, json={"title": "Encore"}, headers=headers)
    assert closed.status_code == 409 and closed.get_json()["code"] == "conflict"


def test_the_author_asks_for_support_through_the_api(client, world, api_token):
    initiative = make_initiative(world.author, informal=True, community=world.community)
    url = f"/api/v1/initiatives/{initiative.id}/status"
    response = client.post(
        url,
        json={"status": "under_review", "answer": "Un local ?"},
        headers=api_token(world.author),
    )
    assert response.status_code == 201
    body = client.get(f"/api/v1/initiatives/{initiative.id}").get_json()
    assert body["status"] == "under_review" and body["answer_due_at"]


def test_a_stored_photo_keeps_no_comment_and_no_metadata(app, client, world, api_token):
    """Finding 15: re-encoding kept the JPEG comment (COM) segment; now only pixels pass."""
    initiative = make_initiative(world.author, community=world.community)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "Chez Mme Martin, 3 rue des Lilas"  # ImageDescription
    Image.new("RGB", (80, 60), (10, 200, 30)).save(
        out, "JPEG", comment=b"Chez Mme Martin, 3 rue des Lilas", exif=exif.tobytes(),
        icc_profile=b"\x00" * 128,
    )  # fmt: skip
    before = stored_files(app)
    response = client.post(
        f"/api/v1/initiatives/{initiative.id}/updates",
        data={"body": "Photo", "photo": (io.BytesIO(out.getvalue()), "bac.jpg")},
        headers=api_token(world.author),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    [name] = stored_files(app) - before
    data = (upload_folder(app) / name).read_bytes()
    assert b"Mme Martin" not in data
    assert b"\xff\xfe" not in data.split(b"\xff\xda")[0]  # no COM segment before the scan
    with Image.open(io.BytesIO(data)) as stored:
        assert "comment" not in stored.info and "exif" not in stored.info
        assert "icc_profile" not in stored.info
