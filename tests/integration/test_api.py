"""The JSON API: what a script sees through /api/ with a personal token."""

from __future__ import annotations

from typing import Any

from api_fixtures import Api
from test_web_fixtures import Search

from topofmind.api import schemas
from topofmind.api.app import api
from topofmind.crm.models import AccessToken, FollowUp, Interaction, Person

pytest_plugins = ["test_web_fixtures", "api_fixtures"]


def test_a_request_without_a_token_is_refused_as_a_problem(search: Search) -> None:
    response = Api(None).get("/api/people")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
    assert "Dana" not in response.content.decode()


def test_a_wrong_or_revoked_token_is_refused(search: Search, alice_api: Api) -> None:
    assert Api("tom_not-a-real-token").get("/api/people").status_code == 401
    token = AccessToken.objects.get(workspace=search.workspace)
    token.revoked_at = token.created_at
    token.save()
    assert alice_api.get("/api/people").status_code == 401


def test_the_token_is_stored_only_as_a_digest(search: Search, alice_api: Api) -> None:
    secret = alice_api.headers["Authorization"].removeprefix("Bearer ")
    token = AccessToken.objects.get(workspace=search.workspace)
    assert secret.startswith(token.prefix)
    assert secret not in token.digest
    assert len(token.digest) == 64


def test_people_list_filters_and_pages(search: Search, alice_api: Api) -> None:
    body = alice_api.get("/api/people", per_page=1).json()
    assert body["count"] == 2
    assert body["pages"] == 2
    assert [p["name"] for p in body["items"]] == ["Dana Lee"]
    assert body["items"][0]["emails"] == ["dana@acme.test"]
    body = alice_api.get("/api/people", role="interviewer").json()
    assert [p["name"] for p in body["items"]] == ["Sam Park"]
    assert alice_api.get("/api/people", q="nobody").json()["count"] == 0


def test_organizations_and_openings_with_the_people_in_them(search: Search, alice_api: Api) -> None:
    orgs = alice_api.get("/api/organizations").json()
    assert [o["name"] for o in orgs["items"]] == ["Acme"]
    opening = alice_api.get(f"/api/openings/{search.opening.pk}").json()
    assert opening["title"] == "Backend Engineer"
    assert opening["stage"] == "interviewing"
    parts = {p["name"]: p["roles"] for p in opening["people"]}
    assert "interviewer" in parts["Sam Park"]
    assert alice_api.get("/api/openings", stage="offer").json()["count"] == 0


def test_search_finds_people_organizations_openings_and_touch_notes(search: Search, alice_api: Api) -> None:
    body = alice_api.get("/api/search", q="acme").json()
    assert [o["title"] for o in body["organizations"]["results"]] == ["Acme"]
    body = alice_api.get("/api/search", q="backend ENG").json()
    assert body["openings"]["results"] == [
        {
            "id": search.opening.pk,
            "title": "Backend Engineer",
            "detail": "Acme · Interviewing",
            "at": None,
            "person_id": None,
        }
    ]
    assert alice_api.get("/api/search", q="lee", limit=1).json()["people"]["results"][0]["title"] == "Dana Lee"
    assert alice_api.get("/api/search", limit=0).status_code == 422


def test_log_fix_and_delete_a_touch(search: Search, alice_api: Api) -> None:
    response = alice_api.post(
        "/api/touches", {"people": ["Dana Lee"], "kind": "reply", "at": "2030-03-05T11:00:00+00:00", "summary": "hi"}
    )
    assert response.status_code == 201, response.content
    touch = response.json()
    assert touch["people"] == [{"id": search.dana.pk, "name": "Dana Lee"}]
    assert touch["direction"] == "in"
    fixed = alice_api.patch(f"/api/touches/{touch['id']}", {"summary": "thanks for the call"}).json()
    assert fixed["summary"] == "thanks for the call"
    assert fixed["kind"] == "reply"
    listed = alice_api.get("/api/touches", person_id=search.dana.pk).json()
    assert touch["id"] in [t["id"] for t in listed["items"]]
    assert alice_api.delete(f"/api/touches/{touch['id']}").status_code == 204
    assert not Interaction.objects.filter(pk=touch["id"]).exists()


def test_a_bad_touch_is_a_problem_naming_the_field_and_writes_nothing(search: Search, alice_api: Api) -> None:
    before = Interaction.objects.count()
    response = alice_api.post("/api/touches", {"people": ["Dana Lee"], "kind": "telepathy"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "kind"
    assert "kind" in problem["detail"]
    response = alice_api.post("/api/touches", {"people": ["Nobody Known"], "kind": "reply"})
    assert response.status_code in (404, 422)
    assert "Nobody Known" in response.json()["detail"]
    assert Interaction.objects.count() == before


def test_the_agenda_and_its_actions(search: Search, alice_api: Api) -> None:
    agenda = alice_api.get("/api/agenda").json()
    thank_yous = [i for i in agenda["items"] if i["purpose"] == "thank_you"]
    assert {i["person"]["name"] for i in thank_yous} == {"Dana Lee", "Sam Park"}
    assert thank_yous[0]["draft"]["body"]
    dana, sam = sorted(thank_yous, key=lambda i: i["person"]["name"])
    assert alice_api.post(f"/api/followups/{dana['id']}/done").json()["state"] == "done"
    snoozed = alice_api.post(f"/api/followups/{sam['id']}/snooze", {"until": "2030-03-06T09:00:00+00:00"}).json()
    assert snoozed["state"] == "snoozed"
    later = alice_api.get("/api/agenda").json()
    assert not [i for i in later["items"] if i["purpose"] == "thank_you"]
    again = alice_api.post(f"/api/followups/{dana['id']}/skip")
    assert again.status_code == 409
    assert "done" in again.json()["detail"]
    past = alice_api.post(f"/api/followups/{sam['id']}/snooze", {"until": "2020-01-01T00:00:00+00:00"})
    assert past.status_code == 422
    assert past.json()["errors"][0]["field"] == "until"


def test_the_agenda_answer_is_exactly_what_its_declared_schema_makes_of_it(search: Search, alice_api: Api) -> None:
    # The agenda skips ninja's own validation for speed: its JSON must still be the schema's,
    # field for field (no key missing, none extra, the same types), as the OpenAPI page says.
    response = alice_api.get("/api/agenda")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["items"], "the search has follow-ups due: the check must see real items"
    assert schemas.Agenda.model_validate(body).model_dump(mode="json") == body
    declared = api.get_openapi_schema()["paths"]["/api/agenda"]["get"]["responses"][200]
    assert declared["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Agenda"}


def test_an_id_filter_beyond_any_row_is_a_problem_naming_it(search: Search, alice_api: Api) -> None:
    # Found by schemathesis: an id past 2**63 - 1 used to reach SQLite and end in a 500.
    for url, field in (
        ("/api/people", "organization_id"),
        ("/api/followups", "person_id"),
        ("/api/touches", "person_id"),
    ):
        response = alice_api.get(url, **{field: str(2**70)})
        assert response.status_code == 422, (url, response.status_code)
        assert field in response.content.decode()


def test_the_agenda_at_another_moment(search: Search, alice_api: Api) -> None:
    before = alice_api.get("/api/agenda", at="2030-03-01T09:00:00+00:00").json()
    assert not [i for i in before["items"] if i["purpose"] == "thank_you"]


def test_followups_list_by_state(search: Search, alice_api: Api) -> None:
    body = alice_api.get("/api/followups").json()
    assert body["count"] == FollowUp.objects.filter(workspace=search.workspace, state="pending").count()
    assert alice_api.get("/api/followups", state="done").json()["count"] == 0


def test_import_dry_run_writes_nothing_then_the_import_does(search: Search, alice_api: Api) -> None:
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Robin Roe\r\nEMAIL:robin@example.test\r\nEND:VCARD\r\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    def send(dry_run: bool) -> Any:
        return alice_api.client.post(
            f"/api/imports/vcard?dry_run={'true' if dry_run else 'false'}",
            {"file": SimpleUploadedFile("c.vcf", card, content_type="text/vcard")},
            headers=alice_api.headers,
        )

    dry = send(True)
    assert dry.status_code == 200, dry.content
    assert dry.json()["new"] == 1
    assert not Person.objects.filter(name="Robin Roe").exists()
    assert send(False).json()["new"] == 1
    assert Person.objects.filter(name="Robin Roe", workspace=search.workspace).exists()


def test_backup_is_the_workspace_as_json(search: Search, alice_api: Api) -> None:
    response = alice_api.get("/api/backup")
    assert response.status_code == 200
    assert b"Dana Lee" in response.content
    assert response.json()["format"]


def test_openapi_description_and_a_local_docs_page(db: None) -> None:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    schema = client.get("/api/openapi.json").json()
    assert "/api/agenda" in schema["paths"]
    page = client.get("/api/docs/").content.decode()
    assert "/api/touches/{touch_id}" in page
    assert "cdn" not in page.lower()
    assert "<script" not in page


# -- Isolation: every operation of the OpenAPI description, with Alice's ids ------------------

ALICES_WORDS = ("Dana Lee", "Sam Park", "Acme", "Backend Engineer", "pipeline rewrite")
PATH_IDS = {
    "person_id": lambda s: s.dana.pk,
    "organization_id": lambda s: s.acme.pk,
    "opportunity_id": lambda s: s.opening.pk,
    "touch_id": lambda s: Interaction.objects.filter(workspace=s.workspace).first().pk,  # type: ignore[union-attr]
    "followup_id": lambda s: FollowUp.objects.filter(workspace=s.workspace, state="pending").first().pk,  # type: ignore[union-attr]
    "item_id": lambda s: s.article.pk,
    "feed_id": lambda s: s.feed.pk,
}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("patch", "/api/touches/{touch_id}"): {"summary": "hacked"},
    ("post", "/api/followups/{followup_id}/snooze"): {"until": "2030-04-01T09:00:00+00:00"},
    ("patch", "/api/value/{item_id}"): {"tags": ["hacked"]},
    ("post", "/api/people/{person_id}/merge"): {"other_id": 999_999},
}


def operations() -> list[tuple[str, str]]:
    from topofmind.api.app import api

    paths = api.get_openapi_schema()["paths"]
    return [
        (method, path)
        for path, item in paths.items()
        for method in item
        if method in {"get", "post", "patch", "delete"}
    ]


def stored() -> list[Any]:
    from test_web_isolation import everything_stored

    return [(name, rows) for name, rows in everything_stored().items() if name != "AccessToken"]


def test_charlie_with_his_own_token_gets_404_for_every_operation_on_alices_ids(
    search: Search, charlie_api: Api
) -> None:
    checked = 0
    before = stored()
    for method, path in operations():
        names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        if not names or names == ["kind"]:
            continue
        unknown = [n for n in names if n not in PATH_IDS]
        assert not unknown, f"{method} {path}: teach PATH_IDS the parameter {unknown}"
        url = path
        for name in names:
            url = url.replace("{" + name + "}", str(PATH_IDS[name](search)))
        body = BODIES.get((method, path), {})
        response = (
            getattr(charlie_api, method)(url, body)
            if method in {"post", "patch"}
            else getattr(charlie_api, method)(url)
        )
        assert response.status_code == 404, (method, path, response.content)
        assert not any(w in response.content.decode() for w in ALICES_WORDS), (method, path)
        checked += 1
    assert checked >= 10
    assert stored() == before


def test_charlie_lists_show_none_of_alices_rows(search: Search, charlie_api: Api) -> None:
    for method, path in operations():
        if method != "get" or "{" in path:
            continue
        response = charlie_api.get(path)
        assert response.status_code == 200, path
        assert not any(w in response.content.decode() for w in ALICES_WORDS), path


def test_a_stranger_without_a_token_gets_401_everywhere(search: Search) -> None:
    stranger = Api(None)
    for method, path in operations():
        url = path.replace("{kind}", "vcard")
        for name, fill in PATH_IDS.items():
            url = url.replace("{" + name + "}", str(fill(search)))
        response = getattr(stranger, method)(url, {}) if method in {"post", "patch"} else getattr(stranger, method)(url)
        assert response.status_code == 401, (method, path)


def test_charlie_cannot_log_a_touch_with_alices_people_or_opening(search: Search, charlie_api: Api) -> None:
    response = charlie_api.post("/api/touches", {"people": [f"#{search.dana.pk}"], "kind": "reply"})
    assert response.status_code in (404, 422)
    response = charlie_api.post(
        "/api/touches",
        {"people": ["Carl"], "kind": "reply", "create_missing": True, "opportunity_id": search.opening.pk},
    )
    assert response.status_code in (404, 422)
    assert not Interaction.objects.exclude(workspace=search.workspace).exists()
