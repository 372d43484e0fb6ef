"""Sign-in, CSRF, and "Charlie should have no access to Alice's stuff" through every page.

The second half walks the web app's URL patterns, so a new page is checked the day it is
added: every address with an id is tried with Alice's ids by Charlie, who shares nothing with
her (404 everywhere, never 403, nothing changed), and by Bob, who is a member of her search
(he sees and works the shared desk); an id whose parameter name the walk does not know fails
the test until someone teaches it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from test_web_fixtures import PASSWORD, WEB_NOW, Search, text_of

from topofmind.crm import services
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    MailReview,
    Membership,
    Opportunity,
    OutboxMessage,
    Person,
    Workspace,
)
from topofmind.engine.types import Kind, Role

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
    assert client.get("/")["Location"] == reverse("web:welcome")  # the first visit asks first
    answers = {"name": "Dora D.", "timezone": "Europe/Lisbon", "country": "PT"}
    assert client.post(reverse("web:welcome"), answers).status_code == 302
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


# -- Every address, from the URL patterns -----------------------------------------------------

ALICES_WORDS = ("Dana Lee", "Sam Park", "Acme", "Backend Engineer", "pipeline rewrite")
# An id no row has in any workspace: a refusal Alice's ids get must look exactly like this one's.
NOWHERE = 2_000_000_000
# The people who share nothing with Alice. Bob is a member of her search (tests of his own below).
OUTSIDERS = ("charlie",)


@dataclass(frozen=True)
class Route:
    """One address of the web app: its name (in the "web" namespace) and its path parameters."""

    name: str
    pattern: str
    params: tuple[str, ...]


def walk(patterns: list[URLPattern | URLResolver], prefix: str = "", outer: tuple[str, ...] = ()) -> Iterator[Route]:
    """Every named address under ``patterns``, included ones too, with its parameters in order."""
    for entry in patterns:
        params = outer + tuple(entry.pattern.regex.groupindex)
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, pattern, params)
            continue
        if not entry.name:
            raise AssertionError(f"{pattern!r} has no name: name it so the isolation test can reach it")
        yield Route(name=entry.name, pattern=pattern, params=params)


def web_routes() -> list[Route]:
    return list(walk(get_resolver("topofmind.web.urls").url_patterns))


def id_routes() -> list[Route]:
    return [r for r in web_routes() if r.params]


@dataclass
class AliceWorld:
    """Alice's search (test_web_fixtures.Search) with something for every action to change:
    a pending thank-you, a logged interview, Dana in contact and Sam stopped, both on the opening."""

    search: Search
    followup: FollowUp
    touch: Interaction
    bob_id: int  # a member of Alice's search
    review_id: int  # mail the sync left for Alice to review
    dead_links: list[str]  # invitation tokens into it: one used, one expired
    send_id: int  # a send of Alice's whose outcome is unknown


@pytest.fixture
def alice_world(search: Search, bob_user: Any, alice_user: Any) -> AliceWorld:
    services.edit_opportunity(
        workspace=search.workspace,
        opportunity_id=search.opening.pk,
        add_participants=[(search.dana.pk, Role.HIRING_MANAGER), (search.sam.pk, Role.INTERVIEWER)],
        now=WEB_NOW,
    )
    services.stop_contact(workspace=search.workspace, person_id=search.sam.pk, at=WEB_NOW, now=WEB_NOW, reason="asked")
    followup = FollowUp.objects.get(
        workspace=search.workspace, state="pending", person=search.dana, purpose="thank_you"
    )
    touch = Interaction.objects.get(workspace=search.workspace, kind=Kind.INTERVIEW.value)
    used = services.invite(workspace=search.workspace, by_user_id=alice_user.pk, now=WEB_NOW)
    services.accept_invitation(token=used.token, now=WEB_NOW, username="dave", password=PASSWORD)
    expired = services.invite(workspace=search.workspace, by_user_id=alice_user.pk, now=WEB_NOW - timedelta(days=8))
    # What the mailbox sync leaves for review (it writes these as it reads mail; no mailbox here).
    review = MailReview.objects.create(
        workspace=search.workspace,
        kind="unmatched",
        message_id="stranger-1@initech.test",
        received_at=WEB_NOW,
        sender_name="Priya Natarajan",
        sender_address="priya@initech.test",
        subject="Re: Introduction",
    )
    # A send of Alice's whose outcome is unknown, waiting for her check (settled on Settings › Mail).
    unknown = OutboxMessage.objects.create(
        workspace=search.workspace,
        user=alice_user,
        followup=followup,
        person=search.dana,
        to_address="dana@acme.example",
        subject="Thank you",
        body="Thanks for your time.",
        state=OutboxMessage.SendState.UNKNOWN,
        message_id="<alice-1@example.test>",
        queued_at=WEB_NOW,
        updated_at=WEB_NOW,
    )
    return AliceWorld(
        search=search,
        followup=followup,
        touch=touch,
        bob_id=bob_user.pk,
        review_id=review.pk,
        dead_links=[used.token, expired.token],
        send_id=unknown.pk,
    )


# What each path parameter is filled with, by its name: Alice's rows of that kind. A parameter
# named here with two rows is tried with each (Dana in contact for stop, Sam stopped for resume).
FILLERS: dict[str, Callable[[AliceWorld], list[Any]]] = {
    "followup_id": lambda w: [w.followup.pk],
    "touch_id": lambda w: [w.touch.pk],
    "person_id": lambda w: [w.search.dana.pk, w.search.sam.pk],
    "organization_id": lambda w: [w.search.acme.pk],
    "opportunity_id": lambda w: [w.search.opening.pk],
    "workspace_id": lambda w: [w.search.workspace.pk],  # switching to it, removing it
    "member_id": lambda w: [w.bob_id],  # removing Bob from Alice's search
    "review_id": lambda w: [w.review_id],  # accepting or dismissing Alice's review item
    "token": lambda w: w.dead_links,  # an invitation link used already, and an expired one
    "item_id": lambda w: [w.search.article.pk],  # an article in Alice's library
    "feed_id": lambda w: [w.search.feed.pk],  # Acme's news feed
    "send_id": lambda w: [w.send_id],  # settling Alice's unknown send
}

# What a POST carries: a valid-looking change, so a missing workspace check would show as a change.
POSTS: dict[str, Callable[[AliceWorld], dict[str, Any]]] = {
    "followup_snooze": lambda w: {"days": "1"},
    "followup_draft": lambda w: {"subject": "x", "body": "y"},
    "followup_sent": lambda w: {"subject": "x", "body": "y"},
    "followup_send": lambda w: {"subject": "x", "body": "y"},
    "touch_edit": lambda w: {"kind": "reply", "people": "Dana Lee"},
    "person_stop": lambda w: {"reason": "x"},
    "person_edit": lambda w: {"name": "Hacked"},
    "organization_edit": lambda w: {"name": "Hacked", "priority": "1"},
    "opportunity_edit": lambda w: {"title": "Hacked", "organization": str(w.search.acme.pk), "stage": "rejected"},
    "stage_move": lambda w: {"stage": "rejected"},
    "participant_add": lambda w: {"person": "Mallory"},
    "feed_add": lambda w: {"url": "https://mallory.test/feed.xml"},
    "mail_review_accept": lambda w: {"name": "Mallory"},
    "person_merge": lambda w: {"other": str(w.search.sam.pk)},
    "send_resolve": lambda w: {"outcome": "sent"},
}


def fillings(route: Route, world: AliceWorld) -> list[dict[str, Any]]:
    """Every way to fill the route's parameters with Alice's ids; an unknown parameter fails."""
    unknown = [p for p in route.params if p not in FILLERS]
    if unknown:
        pytest.fail(
            f"{route.name} ({route.pattern}) has parameters {unknown} the isolation test cannot fill: "
            "add them to FILLERS with the id of one of Alice's rows"
        )
    choices = [FILLERS[p](world) for p in route.params]
    return [dict(zip(route.params, ids, strict=True)) for ids in itertools.product(*choices)]


def everything_stored() -> dict[str, list[dict[str, Any]]]:
    """Every row of the store, so "nothing changed" covers the tables a view might touch."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("crm").get_models()
    }


def ask(client: Client, method: str, url: str, data: dict[str, Any]) -> HttpResponseBase:
    return client.post(url, data) if method == "POST" else client.get(url)


def test_fillings_fail_for_a_parameter_the_walk_does_not_know(alice_world: AliceWorld) -> None:
    new_page = Route(name="widget", pattern="widgets/<int:widget_id>/", params=("widget_id",))
    with pytest.raises(pytest.fail.Exception, match="widget_id"):
        fillings(new_page, alice_world)


def test_the_walk_covers_every_route_with_an_id() -> None:
    with_ids = id_routes()
    # Counted apart from the walk: every pattern written with a <converter:parameter>.
    written = [r for r in web_routes() if "<" in r.pattern]
    assert {r.name for r in with_ids} == {r.name for r in written}
    assert len(with_ids) == len(written) == 36
    assert {"participant_remove", "person_resume"} <= {r.name for r in with_ids}
    assert next(r for r in with_ids if r.name == "participant_remove").params == ("opportunity_id", "person_id")


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("route", id_routes(), ids=lambda r: r.name)
def test_an_outsider_gets_not_found_for_every_address_with_alices_ids(
    route: Route, outsider: str, alice_world: AliceWorld, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(f"as_{outsider}")
    before = everything_stored()
    nowhere = reverse(f"web:{route.name}", kwargs=dict.fromkeys(route.params, NOWHERE))
    data = POSTS[route.name](alice_world) if route.name in POSTS else {}
    for kwargs in fillings(route, alice_world):
        url = reverse(f"web:{route.name}", kwargs=kwargs)
        statuses: dict[str, int] = {}
        for method in ("GET", "POST"):
            response = ask(client, method, url, data)
            status = statuses[method] = response.status_code
            if status == 405:
                # The address refuses this method for every id alike: that tells nothing of Alice's.
                assert ask(client, method, nowhere, data).status_code == 405, (method, url)
            else:
                assert status == 404, (method, url, status)
            for word in ALICES_WORDS:
                assert word not in text_of(response), (method, url, word)
        assert 404 in statuses.values(), (url, statuses)
    assert everything_stored() == before, route.name


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_an_outsider_sees_nothing_of_alices_on_any_address_without_an_id(
    outsider: str, alice_world: AliceWorld, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(f"as_{outsider}")
    # Searches and filters that would find Alice's rows if a list forgot the workspace.
    probe = {"q": "Dana", "people": "Dana", "person": "Dana", "org": str(alice_world.search.acme.pk)}
    checked = []
    for route in web_routes():
        if route.params:
            continue  # checked above, with Alice's ids
        response = client.get(reverse(f"web:{route.name}"), probe)
        # 405: a POST-only address (logging a touch, signing out) refuses a GET before reading anything.
        assert response.status_code in (200, 302, 405), (route.name, response.status_code)
        page = text_of(response)
        for word in ALICES_WORDS:
            assert word not in page, (route.name, word)
        checked.append(route.name)
    assert {"today", "people", "organizations", "opportunities", "board", "touches", "review"} <= set(checked)
    assert "_auth_user_id" in client.session  # still signed in: no page above was seen as a visitor


# -- Bob shares Alice's search: he sees it and works it, and only its owner runs it ----------------


def test_bob_sees_and_works_the_desk_he_shares_with_alice(as_bob: Client, alice_world: AliceWorld) -> None:
    search = alice_world.search
    for url in ("/", f"/people/{search.dana.pk}/", f"/openings/{search.opening.pk}/", "/board/"):
        response = as_bob.get(url)
        assert response.status_code == 200, url
        assert "Dana Lee" in text_of(response), url
    assert as_bob.post(f"/followups/{alice_world.followup.pk}/done/").status_code == 302
    alice_world.followup.refresh_from_db()
    assert alice_world.followup.state == "done"
    logged = Interaction.objects.filter(workspace=search.workspace).order_by("-pk").first()
    assert logged is not None
    assert logged.logged_by is not None
    assert logged.logged_by.get_username() == "bob"  # each touch records who logged it


def test_a_member_cannot_invite_remove_or_delete_the_desk(as_bob: Client, alice_world: AliceWorld) -> None:
    before = everything_stored()
    ws = alice_world.search.workspace
    assert as_bob.post(reverse("web:team"), {"form": "invite", "i-role": "owner"}).status_code == 404
    alice = Membership.objects.get(workspace=ws, role="owner").user_id
    assert as_bob.post(reverse("web:member_remove", kwargs={"member_id": alice})).status_code == 404
    assert as_bob.post(reverse("web:workspace_remove", kwargs={"workspace_id": ws.pk})).status_code == 404
    assert everything_stored() == before


def test_once_removed_bob_sees_nothing_of_the_desk(as_alice: Client, as_bob: Client, alice_world: AliceWorld) -> None:
    response = as_alice.post(reverse("web:member_remove", kwargs={"member_id": alice_world.bob_id}))
    assert response.status_code == 302
    page = text_of(as_bob.get("/people/"))
    assert "Dana Lee" not in page
    assert as_bob.get(f"/people/{alice_world.search.dana.pk}/").status_code == 404
    switch = reverse("web:workspace_switch", kwargs={"workspace_id": alice_world.search.workspace.pk})
    assert as_bob.post(switch).status_code == 404


def test_an_invitation_link_works_once(as_alice: Client, alice_world: AliceWorld) -> None:
    response = as_alice.post(reverse("web:team"), {"form": "invite", "i-role": "member"})
    assert response.status_code == 200
    link = re.search(r'id="invite-link">([^<]+)<', response.content.decode())
    assert link is not None
    path = link.group(1).split("127.0.0.1", 1)[1]
    newcomer = Client(HTTP_HOST="127.0.0.1")
    assert "Join “Alice's search”" in text_of(newcomer.get(path)) or "Join" in text_of(newcomer.get(path))
    joined = newcomer.post(path, {"username": "erin", "password": PASSWORD})
    assert joined.status_code == 302
    assert Membership.objects.filter(workspace=alice_world.search.workspace, user__username="erin").exists()
    again = Client(HTTP_HOST="127.0.0.1")
    assert again.get(path).status_code == 404
    assert again.post(path, {"username": "mallory", "password": PASSWORD}).status_code == 404
    assert not get_user_model().objects.filter(username="mallory").exists()


def test_a_bad_password_on_the_invitation_page_says_so_and_keeps_the_link(db: None, alice_world: AliceWorld) -> None:
    made = services.invite(workspace=alice_world.search.workspace, by_user_id=None, now=WEB_NOW)
    client = Client(HTTP_HOST="127.0.0.1")
    path = reverse("web:join", kwargs={"token": made.token})
    response = client.post(path, {"username": "erin", "password": "short"})
    assert response.status_code == 400
    assert "at least 10 characters" in text_of(response)
    assert client.get(path).status_code == 200  # still unused
