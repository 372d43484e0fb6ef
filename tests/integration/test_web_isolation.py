"""Sign-in, CSRF, and "Charlie should have no access to Alice's stuff" through every page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from test_web_fixtures import PASSWORD, WEB_NOW, Search, text_of

from topofmind.crm import services
from topofmind.crm.models import FollowUp, Interaction, Membership, Opportunity, Person, Workspace
from topofmind.engine.types import Kind

pytest_plugins = ["test_web_fixtures"]


def test_sign_in_with_the_right_password_opens_today(alice_user: object, clock: object) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(reverse("web:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_says_so_in_words(alice_user: object) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(reverse("web:login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_passwords_are_stored_with_argon2(alice_user: object) -> None:
    assert get_user_model().objects.get(username="alice").password.startswith("argon2")


def test_an_account_without_a_workspace_gets_its_own_on_sign_in(db: None, clock: object) -> None:
    get_user_model().objects.create_user(username="dora", password=PASSWORD)
    client = Client(HTTP_HOST="127.0.0.1")
    client.post(reverse("web:login"), {"username": "dora", "password": PASSWORD})
    workspace = Workspace.objects.get(owner__username="dora")
    assert Membership.objects.filter(workspace=workspace, user__username="dora", role="owner").exists()
    assert "Start here" in text_of(client.get("/"))


def test_forms_without_a_csrf_token_are_refused_in_words(alice_user: object, search: Search) -> None:
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.force_login(alice_user)  # type: ignore[arg-type]
    response = client.post(reverse("web:quick_log"), {"people": "Dana Lee", "kind": "reply"})
    assert response.status_code == 403
    assert "This form has expired" in text_of(response)
    assert not Interaction.objects.filter(kind=Kind.REPLY.value).exists()


def test_every_form_on_a_page_carries_a_csrf_token(as_alice: Client, search: Search) -> None:
    import re

    for url in ("/", "/board/", f"/people/{search.dana.pk}/", f"/openings/{search.opening.pk}/", "/settings/"):
        page = as_alice.get(url).content.decode()
        forms = re.findall(r"<form\b([^>]*)>(.*?)</form>", page, flags=re.S)
        posts = [body for attrs, body in forms if 'method="post"' in attrs]
        assert posts, url
        assert all('name="csrfmiddlewaretoken"' in body for body in posts), url
        assert '"X-CSRFToken"' in page  # htmx sends it as a header


def test_sign_out_needs_a_post_and_ends_the_session(as_alice: Client) -> None:
    assert as_alice.post(reverse("web:logout")).status_code == 302
    assert as_alice.get("/").status_code == 302


def test_static_files_are_served_locally_without_signing_in(db: None) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    for name in ("web/htmx-2.0.11.min.js", "web/app.css", "web/app.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
    page = Client(HTTP_HOST="127.0.0.1").get(reverse("web:login")).content.decode()
    assert "https://" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org', "")


# -- Charlie should have no access to Alice's stuff -------------------------------------------


def test_charlie_sees_none_of_alices_people_openings_or_agenda(as_charlie: Client, search: Search) -> None:
    for url in ("/", "/people/", "/organizations/", "/openings/", "/board/", "/touches/", "/review/"):
        page = text_of(as_charlie.get(url))
        for name in ("Dana Lee", "Sam Park", "Acme", "Backend Engineer", "pipeline rewrite"):
            assert name not in page, (url, name)
    assert "Dana" not in text_of(as_charlie.get(reverse("web:person_options"), {"people": "Dana"}))


def test_charlie_gets_not_found_for_alices_pages(as_charlie: Client, search: Search) -> None:
    touch = Interaction.objects.filter(workspace=search.workspace).first()
    assert touch is not None
    for url in (
        f"/people/{search.dana.pk}/",
        f"/people/{search.dana.pk}/edit/",
        f"/organizations/{search.acme.pk}/",
        f"/organizations/{search.acme.pk}/edit/",
        f"/openings/{search.opening.pk}/",
        f"/openings/{search.opening.pk}/edit/",
        f"/touches/{touch.pk}/edit/",
    ):
        response = as_charlie.get(url)
        assert response.status_code == 404, url
        assert "Dana" not in text_of(response)


def test_charlie_cannot_act_on_alices_follow_ups_touches_people_or_openings(as_charlie: Client, search: Search) -> None:
    row = FollowUp.objects.filter(workspace=search.workspace, state="pending").first()
    touch = Interaction.objects.filter(workspace=search.workspace).first()
    assert row is not None
    assert touch is not None
    posts = [
        (f"/followups/{row.pk}/done/", {}),
        (f"/followups/{row.pk}/skip/", {}),
        (f"/followups/{row.pk}/snooze/", {"days": "1"}),
        (f"/followups/{row.pk}/draft/", {"subject": "x", "body": "y"}),
        (f"/followups/{row.pk}/sent/", {"subject": "x", "body": "y"}),
        (f"/touches/{touch.pk}/edit/", {"kind": "reply", "people": "Dana Lee"}),
        (f"/touches/{touch.pk}/delete/", {}),
        (f"/people/{search.dana.pk}/stop/", {"reason": "x"}),
        (f"/people/{search.dana.pk}/edit/", {"name": "Hacked"}),
        (f"/openings/{search.opening.pk}/stage/", {"stage": "rejected"}),
        (f"/openings/{search.opening.pk}/people/", {"person": "Mallory"}),
        (f"/organizations/{search.acme.pk}/edit/", {"name": "Hacked", "priority": "1"}),
    ]
    for url, data in posts:
        assert as_charlie.post(url, data).status_code == 404, url
    row.refresh_from_db()
    assert row.state == "pending"
    assert row.draft_body == ""
    assert Interaction.objects.filter(pk=touch.pk).exists()
    assert Person.objects.get(pk=search.dana.pk).name == "Dana Lee"
    assert not Person.objects.get(pk=search.dana.pk).do_not_contact
    assert Opportunity.objects.get(pk=search.opening.pk).stage == "interviewing"


def test_charlie_cannot_log_a_touch_with_alices_people(as_charlie: Client, search: Search) -> None:
    response = as_charlie.post(reverse("web:quick_log"), {"people": "Dana Lee", "kind": "reply"})
    assert response.status_code == 400
    assert "no person" in text_of(response)
    response = as_charlie.post(reverse("web:quick_log"), {"people": f"#{search.dana.pk}", "kind": "reply"})
    assert response.status_code == 400
    assert not Interaction.objects.filter(kind=Kind.REPLY.value).exists()


def test_charlie_cannot_attach_his_touch_to_alices_opening(as_charlie: Client, search: Search) -> None:
    charlie_ws = Workspace.objects.get(owner__username="charlie")
    services.add_person(workspace=charlie_ws, name="Carl", now=WEB_NOW)
    response = as_charlie.post(
        reverse("web:log"), {"kind": "reply", "people": "Carl", "opportunity": str(search.opening.pk)}
    )
    assert response.status_code == 400  # not one of his choices
    assert not Interaction.objects.filter(workspace=charlie_ws).exists()
