"""Delete a person, an organization or an opening after a page that says what goes; merge two
records of one person; an e-mail already someone's is refused (issue 11, point 1)."""

from __future__ import annotations

from datetime import timedelta

from api_fixtures import Api
from django.test import Client
from django.urls import reverse
from test_web_fixtures import INTERVIEW_AT, WEB_NOW, Search, text_of
from typer.testing import CliRunner

from topofmind.cli import app
from topofmind.crm import services
from topofmind.crm.models import FollowUp, Interaction, Opportunity, Organization, Person
from topofmind.engine.types import Kind, Purpose, Role

pytest_plugins = ["test_web_fixtures", "api_fixtures"]
runner = CliRunner()


def pending_thank_you(search: Search, name: str) -> FollowUp | None:
    return FollowUp.objects.filter(
        workspace=search.workspace, purpose=Purpose.THANK_YOU.value, person__name=name, state="pending"
    ).first()


# -- delete ------------------------------------------------------------------------------------


def test_deleting_a_person_says_what_goes_and_leaves_the_shared_interview_to_the_other(
    as_alice: Client, search: Search
) -> None:
    url = reverse("web:person_delete", args=[search.sam.pk])
    confirm = text_of(as_alice.get(url))
    assert "Delete Sam Park?" in confirm
    live = FollowUp.objects.filter(person=search.sam, state__in=["pending", "snoozed"]).count()
    for line in (f"{live} open follow-ups", "1 part in an opening", "1 e-mail address"):
        assert f"<li>{line}</li>" in confirm
    assert "phone" not in confirm  # nothing to lose there: not listed
    assert "touch with them alone" not in confirm  # the interview was with Dana too
    assert "1 touch with other people stays (without them)" in confirm
    assert Person.objects.filter(pk=search.sam.pk).exists()  # looking changes nothing
    done = as_alice.post(url, follow=True)
    assert "Deleted Sam Park; the agenda is re-planned." in text_of(done)
    assert not Person.objects.filter(pk=search.sam.pk).exists()
    interview = Interaction.objects.get(workspace=search.workspace, kind=Kind.INTERVIEW.value)
    assert [p.person.name for p in interview.participants.all()] == ["Dana Lee"]
    today = text_of(as_alice.get("/"))
    assert "Sam Park" not in today
    assert "Dana Lee" in today


def test_deleting_an_organization_keeps_its_people_without_an_employer(as_alice: Client, search: Search) -> None:
    url = reverse("web:organization_delete", args=[search.acme.pk])
    confirm = text_of(as_alice.get(url))
    assert "<li>1 opening</li>" in confirm
    assert "2 people stay, without an employer" in confirm
    assert "1 touch about its openings stays, about no opening" in confirm
    assert "Deleted Acme; its people stay, without an employer." in text_of(as_alice.post(url, follow=True))
    assert not Organization.objects.filter(pk=search.acme.pk).exists()
    assert not Opportunity.objects.filter(pk=search.opening.pk).exists()
    assert set(Person.objects.filter(workspace=search.workspace).values_list("name", "organization")) == {
        ("Dana Lee", None),
        ("Sam Park", None),
    }
    assert Interaction.objects.get(workspace=search.workspace, kind=Kind.INTERVIEW.value).opportunity_id is None
    assert pending_thank_you(search, "Dana Lee") is not None  # owed thank-yous do not go with the employer


def test_deleting_an_opening_keeps_the_touches_about_it(as_alice: Client, search: Search) -> None:
    url = reverse("web:opportunity_delete", args=[search.opening.pk])
    confirm = text_of(as_alice.get(url))
    assert "Delete Backend Engineer at Acme?" in confirm
    assert "<li>2 people&#x27;s parts in it</li>" in confirm or "<li>2 people's parts in it</li>" in confirm
    assert "1 touch about it stays, about no opening" in confirm
    as_alice.post(url)
    assert not Opportunity.objects.filter(pk=search.opening.pk).exists()
    assert Interaction.objects.filter(workspace=search.workspace, kind=Kind.INTERVIEW.value).exists()


def test_the_cli_deletes_only_after_yes(search: Search) -> None:
    asked = runner.invoke(app, ["person", "delete", "Sam Park"], input="n\n")
    assert f"Deleting person #{search.sam.pk} Sam Park takes with it:" in asked.stdout
    assert "  1 part in an opening" in asked.stdout
    assert asked.exit_code == 1
    assert Person.objects.filter(pk=search.sam.pk).exists()
    yes = runner.invoke(app, ["person", "delete", "Sam Park"], input="y\n")
    assert yes.exit_code == 0, yes.stderr
    assert f"Deleted person #{search.sam.pk} Sam Park; the agenda is re-planned." in yes.stdout
    kept = runner.invoke(app, ["org", "delete", "Acme"], input="n\n")
    assert kept.exit_code == 1
    assert f"Deleting organization #{search.acme.pk} Acme takes with it:" in kept.stdout
    assert "  1 opening" in kept.stdout and "Delete it?" in kept.stdout
    assert Organization.objects.filter(pk=search.acme.pk).exists()
    opening = runner.invoke(app, ["opp", "delete", "Backend Engineer", "--yes"])
    assert opening.exit_code == 0, opening.stderr
    assert "Delete it?" not in opening.stdout  # --yes: no question
    assert f"Deleted opening #{search.opening.pk} Backend Engineer at Acme; the agenda is re-planned." in opening.stdout
    employer = runner.invoke(app, ["org", "delete", "Acme"], input="y\n")
    assert employer.exit_code == 0, employer.stderr
    assert f"Deleted organization #{search.acme.pk} Acme; the agenda is re-planned." in employer.stdout
    assert list(Person.objects.filter(workspace=search.workspace).values_list("name", "organization")) == [
        ("Dana Lee", None)
    ]


# -- merge -------------------------------------------------------------------------------------


def second_record_of_dana(search: Search) -> Person:
    """Dana again, as an import left her: another address, a phone, a reply, and she asked to stop."""
    twin = services.add_person(
        workspace=search.workspace,
        name="D. Lee",
        emails=["dana.lee@gmail.test"],
        phones=["+1 555 0100"],
        roles=[Role.REFERRER],
        now=WEB_NOW - timedelta(days=3),
    )
    services.log_interaction(
        workspace=search.workspace,
        kind=Kind.INTERVIEW,
        person_ids=[twin.pk],
        at=INTERVIEW_AT - timedelta(days=1),
        now=WEB_NOW - timedelta(days=1),
    )
    return twin


def test_merging_two_records_moves_everything_and_keeps_their_do_not_contact(
    as_alice: Client, search: Search
) -> None:
    twin = second_record_of_dana(search)
    services.stop_contact(workspace=search.workspace, person_id=twin.pk, at=WEB_NOW, now=WEB_NOW, reason="asked")
    url = reverse("web:person_merge", args=[search.dana.pk])
    preview = text_of(as_alice.get(url, {"with": "D. Lee"}))
    for line in ("1 touch", "1 e-mail address", "1 phone number", "1 role"):
        assert f"<li>{line}</li>" in preview
    assert "Dana Lee will be do-not-contact" in preview
    assert Person.objects.filter(pk=twin.pk).exists()  # the preview changes nothing
    merged = text_of(as_alice.post(url, {"other": str(twin.pk)}, follow=True))
    assert "Merged into Dana Lee" in merged
    assert not Person.objects.filter(pk=twin.pk).exists()
    dana = Person.objects.get(pk=search.dana.pk)
    assert sorted(dana.emails.values_list("address", flat=True)) == ["dana.lee@gmail.test", "dana@acme.test"]
    assert list(dana.phones.values_list("number", flat=True)) == ["+1 555 0100"]
    assert sorted(dana.roles.values_list("role", flat=True)) == ["hiring_manager", "referrer"]
    assert Interaction.objects.filter(participants__person=dana).count() == 2
    assert dana.do_not_contact  # R9: one of them asked
    assert "Dana Lee" not in text_of(as_alice.get("/"))


def test_a_merge_carries_what_you_did_with_the_other_records_follow_ups(search: Search) -> None:
    twin = second_record_of_dana(search)
    snoozed = FollowUp.objects.get(workspace=search.workspace, person=twin, purpose=Purpose.THANK_YOU.value)
    until = WEB_NOW + timedelta(days=2)
    services.snooze(workspace=search.workspace, followup_id=snoozed.pk, until=until, now=WEB_NOW)
    services.merge_people(workspace=search.workspace, keep_id=search.dana.pk, other_id=twin.pk, now=WEB_NOW)
    rows = FollowUp.objects.filter(workspace=search.workspace, person=search.dana, purpose=Purpose.THANK_YOU.value)
    assert sorted((r.state, r.snoozed_until) for r in rows) == sorted([("pending", None), ("snoozed", until)])


def test_person_merge_in_the_cli(search: Search) -> None:
    twin = second_record_of_dana(search)
    out = runner.invoke(app, ["person", "merge", "Dana Lee", "D. Lee", "--yes"])
    assert out.exit_code == 0, out.stderr
    assert f"Merging #{twin.pk} D. Lee into #{search.dana.pk} Dana Lee moves:" in out.stdout
    assert f"Merged #{twin.pk} into #{search.dana.pk} Dana Lee" in out.stdout
    itself = runner.invoke(app, ["person", "merge", "Dana Lee", "Dana Lee", "--yes"])
    assert itself.exit_code == 2
    assert itself.stderr.startswith("error: B: #")


# -- an e-mail that is someone's already ----------------------------------------------------------


def test_adding_a_person_with_an_address_already_theirs_points_at_them(as_alice: Client, search: Search) -> None:
    response = as_alice.post(reverse("web:person_new"), {"name": "Dana L", "emails": "Dana@Acme.test"})
    assert response.status_code == 400
    page = text_of(response)
    assert "dana@acme.test already belongs to Dana Lee." in page
    assert f'href="{reverse("web:person", args=[search.dana.pk])}"' in page
    assert "merge two records of them" in page
    assert not Person.objects.filter(name="Dana L").exists()
    cli = runner.invoke(app, ["person", "add", "Dana L", "--email", "dana@acme.test"])
    assert cli.exit_code == 2
    assert cli.stderr.startswith(f'error: dana@acme.test already belongs to "Dana Lee" (#{search.dana.pk})')
    assert "topofmind person merge" in cli.stderr


def test_editing_in_an_address_of_another_offers_the_merge(as_alice: Client, search: Search) -> None:
    response = as_alice.post(
        reverse("web:person_edit", args=[search.sam.pk]), {"name": "Sam Park", "emails": "dana@acme.test"}
    )
    page = text_of(response)
    assert "dana@acme.test already belongs to Dana Lee." in page
    assert f"{reverse('web:person_merge', args=[search.sam.pk])}?with=%23{search.dana.pk}" in page


# -- the API -------------------------------------------------------------------------------------


def test_the_api_deletes_and_merges(search: Search, alice_api: Api) -> None:
    twin = second_record_of_dana(search)
    merged = alice_api.post(f"/api/people/{search.dana.pk}/merge", {"other_id": twin.pk})
    assert merged.status_code == 200, merged.content
    assert sorted(merged.json()["emails"]) == ["dana.lee@gmail.test", "dana@acme.test"]
    assert alice_api.get(f"/api/people/{twin.pk}").status_code == 404
    assert alice_api.delete(f"/api/openings/{search.opening.pk}").status_code == 204
    assert alice_api.delete(f"/api/people/{search.sam.pk}").status_code == 204
    assert alice_api.delete(f"/api/organizations/{search.acme.pk}").status_code == 204
    assert list(Person.objects.filter(workspace=search.workspace).values_list("name", flat=True)) == ["Dana Lee"]
    itself = alice_api.post(f"/api/people/{search.dana.pk}/merge", {"other_id": search.dana.pk})
    assert itself.status_code == 422
