"""Tokens (CLI and Settings), the calendar feed and download, and the exports, read back the way
a calendar app, an address book and a spreadsheet would."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
import vobject
from api_fixtures import Api
from cli_helpers import cli, ok
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from test_web_fixtures import WEB_NOW, Search, text_of

from topofmind.crm import services
from topofmind.crm.models import AccessToken, FollowUp, Membership

pytest_plugins = ["test_web_fixtures", "api_fixtures"]


def feed_secret(user: AbstractBaseUser, search: Search) -> str:
    return services.create_token(user_id=user.pk, workspace=search.workspace, scope="feed", now=WEB_NOW).secret


def events_by_uid(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


# -- tokens ---------------------------------------------------------------------------------


def test_token_create_prints_the_secret_once_and_list_shows_only_its_prefix(search: Search) -> None:
    result = cli("token", "create", "--user", "alice", "--workspace", "Alice's search", "--name", "phone")
    assert result.exit_code == 0, result.stderr
    secret = result.stdout.strip()
    assert secret.startswith("tom_")
    assert "not shown again" in result.stderr
    listing = ok("token", "list")
    assert secret[:12] in listing
    assert secret not in listing
    assert Api(secret).get("/api/people").status_code == 200
    token = AccessToken.objects.get(workspace=search.workspace)
    assert f"Revoked token #{token.pk}" in ok("token", "revoke", str(token.pk))
    assert Api(secret).get("/api/people").status_code == 401
    assert "revoked" in ok("token", "list")


def test_token_create_refuses_a_stranger_to_the_workspace(search: Search, charlie_user: AbstractBaseUser) -> None:
    result = cli("token", "create", "--user", "charlie", "--workspace", "Alice's search")
    assert result.exit_code != 0
    assert "not a member" in result.stderr
    assert "Traceback" not in result.stderr
    assert not AccessToken.objects.exists()


def test_removing_a_member_revokes_their_tokens_and_feeds(search: Search, bob_user: AbstractBaseUser) -> None:
    assert Membership.objects.filter(user=bob_user, workspace=search.workspace).exists()  # bob shares alice's desk
    api = services.create_token(user_id=bob_user.pk, workspace=search.workspace, scope="api", now=WEB_NOW).secret
    feed = feed_secret(bob_user, search)
    assert Api(api).get("/api/people").status_code == 200
    services.remove_member(workspace=search.workspace, user_id=bob_user.pk, now=WEB_NOW)
    assert AccessToken.objects.filter(user=bob_user, revoked_at__isnull=False).count() == 2  # both revoked
    assert Api(api).get("/api/people").status_code == 401
    assert Client(HTTP_HOST="127.0.0.1").get(f"/api/feeds/{feed}.ics").status_code == 404


def test_settings_makes_a_token_shown_once_and_revokes_it(as_alice: Client, search: Search) -> None:
    page = as_alice.post("/settings/access/", {"action": "create_api", "name": "script"})
    assert page.status_code == 200
    token = AccessToken.objects.get(workspace=search.workspace)
    text = page.content.decode()
    secret = re.search(r'<code class="secret"[^>]*>([^<]+)</code>', text).group(1)  # type: ignore[union-attr]
    assert secret.startswith(token.prefix)
    assert "not shown again" in text
    again = as_alice.get("/settings/access/").content.decode()
    assert secret not in again
    assert token.prefix in again
    as_alice.post("/settings/access/", {"action": "revoke", "token": str(token.pk)})
    assert Api(secret).get("/api/people").status_code == 401


def test_charlie_cannot_revoke_alices_token_from_his_settings(
    as_charlie: Client, alice_user: AbstractBaseUser, search: Search
) -> None:
    made = services.create_token(user_id=alice_user.pk, workspace=search.workspace, scope="api", now=WEB_NOW)
    assert as_charlie.post("/settings/access/", {"action": "revoke", "token": str(made.token.pk)}).status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None


def test_settings_page_links_to_api_calendar_and_export(as_alice: Client, search: Search) -> None:
    text = text_of(as_alice.get("/settings/"))
    assert "API tokens and calendar feed" in text
    assert "Export your data" in text


# -- calendar ---------------------------------------------------------------------------------


def test_the_feed_shows_the_live_follow_ups_to_two_parsers(search: Search, alice_user: AbstractBaseUser) -> None:
    secret = feed_secret(alice_user, search)
    response = Client(HTTP_HOST="127.0.0.1").get(f"/api/feeds/{secret}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    live = FollowUp.objects.filter(workspace=search.workspace, state__in=["pending", "snoozed"])
    events = events_by_uid(response.content)
    assert len(events) == live.count() > 0
    summaries = [str(e["SUMMARY"]) for e in events.values()]
    assert any("Dana Lee" in s for s in summaries)
    assert all(e.get("VALARM") is not None or e.walk("VALARM") for e in events.values())
    parsed = vobject.readOne(response.content.decode())
    assert len(parsed.vevent_list) == live.count()
    assert any("Dana Lee" in v.summary.value for v in parsed.vevent_list)
    assert "thank" in response.content.decode().lower()


def test_a_changed_follow_up_keeps_its_uid_with_a_higher_sequence_and_done_ones_leave(
    search: Search, alice_user: AbstractBaseUser, clock: object
) -> None:
    secret = feed_secret(alice_user, search)
    client = Client(HTTP_HOST="127.0.0.1")
    before = events_by_uid(client.get(f"/api/feeds/{secret}.ics").content)
    dana = FollowUp.objects.get(workspace=search.workspace, person=search.dana, purpose="thank_you", state="pending")
    sam = FollowUp.objects.get(workspace=search.workspace, person=search.sam, purpose="thank_you", state="pending")
    services.snooze(
        workspace=search.workspace,
        followup_id=sam.pk,
        until=WEB_NOW + timedelta(days=1),
        now=WEB_NOW + timedelta(minutes=5),
    )
    services.done(workspace=search.workspace, followup_id=dana.pk, at=WEB_NOW, now=WEB_NOW + timedelta(minutes=5))
    after = events_by_uid(client.get(f"/api/feeds/{secret}.ics").content)
    moved = [uid for uid, e in after.items() if "Sam Park" in str(e["SUMMARY"]) and "Thank" in str(e["SUMMARY"])]
    assert moved
    uid = moved[0]
    assert uid in before
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert not [e for e in after.values() if "Dana Lee" in str(e["SUMMARY"]) and "Thank" in str(e["SUMMARY"])]


def test_a_wrong_or_revoked_feed_address_is_not_found(search: Search, alice_user: AbstractBaseUser) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/api/feeds/tomcal_nothing.ics").status_code == 404
    api_secret = services.create_token(
        user_id=alice_user.pk, workspace=search.workspace, scope="api", now=WEB_NOW
    ).secret
    assert client.get(f"/api/feeds/{api_secret}.ics").status_code == 404  # an API token is not a feed address
    made = services.create_token(user_id=alice_user.pk, workspace=search.workspace, scope="feed", now=WEB_NOW)
    services.revoke_token(workspace=search.workspace, token_id=made.token.pk, now=WEB_NOW)
    assert client.get(f"/api/feeds/{made.secret}.ics").status_code == 404


def test_the_web_download_and_the_cli_export_write_the_same_calendar(
    as_alice: Client, search: Search, tmp_path: Path
) -> None:
    web = as_alice.get("/export/download/", {"format": "ics"})
    assert web.status_code == 200
    assert "attachment" in web["Content-Disposition"]
    from topofmind.crm.models import Workspace

    Workspace.objects.exclude(pk=search.workspace.pk).delete()  # the CLI works in the oldest workspace
    out = tmp_path / "f.ics"
    assert "follow-ups" in ok("export", "ics", str(out))
    from_file = events_by_uid(out.read_bytes())
    assert len(from_file) == len(events_by_uid(web.content)) > 0
    assert sorted(str(e["SUMMARY"]) for e in from_file.values()) == sorted(
        str(e["SUMMARY"]) for e in events_by_uid(web.content).values()
    )


# -- exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["people", "organizations", "openings", "touches", "followups"])
def test_every_list_exports_as_csv_a_spreadsheet_reads(as_alice: Client, search: Search, what: str) -> None:
    response = as_alice.get("/export/download/", {"format": "csv", "list": what})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    assert "id" in rows[0]


def test_a_formula_in_a_name_is_exported_as_text(as_alice: Client, search: Search) -> None:
    services.add_person(workspace=search.workspace, name='=HYPERLINK("http://evil")', now=WEB_NOW)
    text = b"".join(as_alice.get("/export/download/", {"list": "people"}).streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    names = [r["name"] for r in csv.DictReader(io.StringIO(text))]
    assert not any(n.startswith("=") for n in names)
    assert any("HYPERLINK" in n for n in names)


def test_vcard_of_the_interviewers_only(as_alice: Client, search: Search) -> None:
    response = as_alice.get("/export/download/", {"format": "vcard", "role": "interviewer"})
    cards = list(vobject.readComponents(b"".join(response.streaming_content).decode()))  # type: ignore[attr-defined]
    assert [c.fn.value for c in cards] == ["Sam Park"]
    assert cards[0].email.value == "sam@acme.test"


def test_cli_exports_csv_and_vcard(search: Search, tmp_path: Path) -> None:
    from topofmind.crm.models import Workspace

    Workspace.objects.exclude(pk=search.workspace.pk).delete()
    ok("export", "csv", "people", str(tmp_path / "p.csv"))
    rows = list(csv.DictReader((tmp_path / "p.csv").open(encoding="utf-8")))
    assert {r["name"] for r in rows} == {"Dana Lee", "Sam Park"}
    ok("export", "vcard", str(tmp_path / "hm.vcf"), "--role", "hiring manager")
    cards = list(vobject.readComponents((tmp_path / "hm.vcf").read_text()))
    assert [c.fn.value for c in cards] == ["Dana Lee"]
    bad = cli("export", "csv", "pets", str(tmp_path / "x.csv"))
    assert bad.exit_code != 0
    assert "list" in bad.stderr
    assert not (tmp_path / "x.csv").exists()
    folder = cli("export", "csv", "people", str(tmp_path))
    assert folder.exit_code == 2
    assert f"error: FILE: {tmp_path} is a folder (hint: name a file inside it)" in folder.stderr
    missing = cli("export", "csv", "people", str(tmp_path / "nope" / "p.csv"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hm.vcf", "p.csv"]  # no half-written leftovers


def test_charlies_exports_and_calendar_hold_none_of_alices_rows(as_charlie: Client, search: Search) -> None:
    words = ("Dana Lee", "Sam Park", "Acme", "Backend Engineer")
    checked = 0
    for params in (
        *({"format": "csv", "list": w} for w in ("people", "organizations", "openings", "touches", "followups")),
        {"format": "vcard"},
        {"format": "ics"},
    ):
        response = as_charlie.get("/export/download/", params)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        assert not any(w.encode() in body for w in words), params
        checked += 1
    assert checked == 7


def test_a_stranger_is_sent_to_sign_in_for_the_export_page(search: Search) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    for url in ("/export/", "/export/download/?format=ics", "/settings/access/"):
        assert client.get(url).status_code == 302
