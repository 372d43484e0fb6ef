"""The command line, as a user runs it: output, exit codes, one-line errors, JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from topofmind.cli import app
from topofmind.crm.models import Interaction, Person

pytestmark = pytest.mark.django_db

runner = CliRunner()


class Run:
    def __init__(self, args: list[str]) -> None:
        result = runner.invoke(app, args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr

    def json(self) -> Any:
        return json.loads(self.out)


def cli(*args: str) -> Run:
    return Run(list(args))


def ok(*args: str) -> Run:
    run = cli(*args)
    assert run.code == 0, (run.out, run.err)
    return run


def fails(*args: str) -> str:
    """The one error line of a command that must fail with exit code 2."""
    run = cli(*args)
    assert run.code == 2, (run.out, run.err)
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in run.err
    return lines[0]


@pytest.fixture
def interview() -> None:
    """The README's first steps: Dana Lee of Acme interviewed us on Tue 5 Mar 2030, 10:00."""
    ok("config", "set", "timezone", "UTC")
    ok("org", "add", "Acme", "--website", "acme.test", "--target", "--priority", "2")
    ok("person", "add", "Dana Lee", "--org", "Acme", "--role", "hiring-manager", "--email", "dana@acme.test")
    ok("log", "interview", "--with", "Dana Lee", "--at", "2030-03-05T10:00", "--points", "the pipeline rewrite", "--force")


def today_json(at: str) -> list[dict[str, Any]]:
    return ok("today", "--at", at, "--json").json()


# -- the agenda -----------------------------------------------------------------------------


def test_an_interview_leaves_a_thank_you_on_todays_agenda(interview: None) -> None:
    items = today_json("2030-03-05T15:00")
    thank_you = next(item for item in items if item["purpose"] == "thank_you")
    dana = Person.objects.get(name="Dana Lee")
    assert thank_you["rule"] == "R1"
    assert thank_you["person"] == {"id": dana.pk, "name": "Dana Lee"}
    assert thank_you["organization"] == {"id": dana.organization_id, "name": "Acme"}
    assert thank_you["opportunity"] is None
    assert thank_you["channel"] == "email"
    assert thank_you["due"] == "2030-03-06T10:00:00+00:00"
    assert "Dana Lee" in thank_you["why"]
    assert thank_you["draft"]["subject"]
    assert "pipeline rewrite" in thank_you["draft"]["body"]
    assert {
        "id",
        "purpose",
        "rule",
        "person",
        "organization",
        "opportunity",
        "channel",
        "due",
        "priority",
        "why",
        "draft",
    } <= set(thank_you)


def test_today_json_prints_only_json(interview: None) -> None:
    run = ok("today", "--at", "2030-03-05T15:00", "--json")
    assert isinstance(json.loads(run.out), list)
    assert run.err == ""


def test_due_times_are_shown_with_the_users_offset(interview: None) -> None:
    ok("config", "set", "timezone", "Europe/Berlin")
    [thank_you] = [i for i in today_json("2030-03-05T15:00") if i["purpose"] == "thank_you"]
    assert thank_you["due"] == "2030-03-06T11:00:00+01:00"


def test_the_table_shows_the_follow_up_and_why(interview: None) -> None:
    out = ok("today", "--at", "2030-03-05T15:00").out
    assert "thank you" in out
    assert "Dana Lee" in out


def test_an_empty_agenda_says_so(db: None) -> None:
    assert "nothing to do" in ok("today", "--at", "2030-03-05T15:00").out


def test_drafts_are_shown_on_request(interview: None) -> None:
    out = ok("today", "--at", "2030-03-05T15:00", "--drafts").out
    assert "Subject:" in out
    assert "pipeline rewrite" in out


def test_done_takes_the_item_off_and_logs_the_touch(interview: None) -> None:
    [thank_you] = [i for i in today_json("2030-03-05T15:00") if i["purpose"] == "thank_you"]
    out = ok("done", str(thank_you["id"]), "--at", "2030-03-05T16:00").out
    assert f"Done: #{thank_you['id']}" in out
    assert Interaction.objects.filter(kind="thank_you", direction="out").count() == 1
    assert "thank_you" not in [i["purpose"] for i in today_json("2030-03-05T17:00")]


def test_snooze_and_skip_take_items_off(interview: None) -> None:
    items = today_json("2030-03-05T15:00")
    [thank_you] = [i for i in items if i["purpose"] == "thank_you"]
    ok("snooze", str(thank_you["id"]), "--until", "2030-03-05T18:00")
    assert "thank_you" not in [i["purpose"] for i in today_json("2030-03-05T17:00")]
    assert "thank_you" in [i["purpose"] for i in today_json("2030-03-05T18:30")]
    ok("skip", str(thank_you["id"]))
    assert "thank_you" not in [i["purpose"] for i in today_json("2030-03-05T18:30")]


def test_a_snooze_that_ends_in_the_past_is_refused_and_changes_nothing(interview: None) -> None:
    [thank_you] = [i for i in today_json("2030-03-05T15:00") if i["purpose"] == "thank_you"]
    error = fails("snooze", str(thank_you["id"]), "--until", "2020-01-01T09:00")
    assert "until" in error and "future" in error
    assert [i["state"] for i in today_json("2030-03-05T15:00") if i["id"] == thank_you["id"]] == ["pending"]


def test_stop_leaves_nothing_for_them(interview: None) -> None:
    ok("stop", "Dana Lee", "--reason", "asked not to be contacted")
    assert today_json("2030-03-05T15:00") == []
    assert ok("person", "show", "Dana Lee", "--json").json()["dnc_reason"] == "asked not to be contacted"
    ok("resume", "Dana Lee")
    assert today_json("2030-03-05T15:00") != []


# -- touches --------------------------------------------------------------------------------


def test_a_mis_logged_touch_can_be_moved_and_deleted(interview: None) -> None:
    [touch] = ok("touch", "list", "--json").json()
    assert (touch["kind"], touch["direction"], touch["people"][0]["name"]) == ("interview", "both", "Dana Lee")
    ok("touch", "edit", str(touch["id"]), "--at", "2030-03-06T10:00")
    [thank_you] = [i for i in today_json("2030-03-06T15:00") if i["purpose"] == "thank_you"]
    assert thank_you["due"] == "2030-03-07T10:00:00+00:00"
    ok("touch", "delete", str(touch["id"]))
    assert "thank_you" not in [i["purpose"] for i in today_json("2030-03-06T15:00")]
    assert ok("touch", "list", "--json").json() == []


def test_log_with_an_opportunity_makes_them_take_part_and_moves_it(interview: None) -> None:
    ok("opp", "add", "Data Engineer", "--org", "Acme", "--stage", "applied", "--decision-date", "2030-03-20")
    ok("person", "add", "Sam Ito", "--org", "Acme", "--email", "sam@acme.test")
    ok(
        "log",
        "interview",
        "--with",
        "Dana Lee",
        "--with",
        "Sam Ito",
        "--opp",
        "Data Engineer",
        "--at",
        "2030-03-07T10:00",
        "--force",
    )
    opp = ok("opp", "show", "Data Engineer", "--json").json()
    assert opp["stage"] == "interviewing"
    assert opp["decision_date"] == "2030-03-20"
    assert {p["name"]: p["roles"] for p in opp["people"]} == {
        "Dana Lee": ["hiring_manager", "interviewer"],
        "Sam Ito": ["interviewer"],
    }
    assert [s["to"] for s in opp["stages"]] == ["applied", "interviewing"]
    ok("log", "rejection", "--with", "Dana Lee", "--opp", "data engineer", "--at", "2030-03-12T09:00", "--force")
    assert ok("opp", "list", "--json").json()[0]["stage"] == "rejected"


def test_a_person_with_two_parts_in_one_opening_is_shown_in_it_once(interview: None) -> None:
    ok("opp", "add", "Data Engineer", "--org", "Acme", "--person", "Dana Lee:hiring manager")
    ok("opp", "edit", "Data Engineer", "--person", "Dana Lee:interviewer")
    shown = ok("person", "show", "Dana Lee")
    listed = [line.strip() for line in shown.out.splitlines() if line.strip().startswith("opportunity #")]
    assert len(listed) == 1
    assert listed[0].endswith(" Data Engineer as hiring_manager, interviewer")
    parts = ok("person", "show", "Dana Lee", "--json").json()["opportunities"]
    assert [(p["title"], p["roles"]) for p in parts] == [("Data Engineer", ["hiring_manager", "interviewer"])]


def test_opp_add_takes_people_with_their_parts(interview: None) -> None:
    ok("opp", "add", "Data Engineer", "--org", "Acme", "--person", "Dana Lee:hiring manager")
    [opp] = ok("opp", "list", "--json").json()
    assert opp["people"] == [{"id": Person.objects.get().pk, "name": "Dana Lee", "roles": ["hiring_manager"]}]


# -- lists and shows ------------------------------------------------------------------------


def test_lists_and_shows_print_json(interview: None) -> None:
    [org] = ok("org", "list", "--json").json()
    assert (org["name"], org["website"], org["priority"], org["target"]) == ("Acme", "https://acme.test", 2, True)
    shown = ok("org", "show", "acme", "--json").json()
    assert [p["name"] for p in shown["people"]] == ["Dana Lee"]
    [person] = ok("person", "list", "--json").json()
    assert (person["roles"], person["emails"]) == (["hiring_manager"], ["dana@acme.test"])
    detail = ok("person", "show", "Dana Lee", "--json").json()
    assert [t["kind"] for t in detail["touches"]] == ["interview"]
    assert "thank_you" in [f["purpose"] for f in detail["followups"]]


def test_edits_change_what_is_shown(interview: None) -> None:
    ok("org", "edit", "Acme", "--name", "Acme Corp", "--no-target")
    ok("person", "edit", "Dana Lee", "--title", "Head of Data", "--role", "interviewer", "--prefers", "linkedin")
    person = ok("person", "show", "Dana Lee", "--json").json()
    assert (person["title"], person["roles"], person["prefers"]) == ("Head of Data", ["interviewer"], "linkedin")
    assert person["organization"]["name"] == "Acme Corp"
    assert ok("org", "show", "Acme Corp", "--json").json()["target"] is False


def test_plan_set_starts_on_the_given_day(db: None) -> None:
    ok("plan", "set", "--targets", "50", "--weeks", "10", "--start", "2030-03-04")
    assert ok("plan", "show", "--json").json() == {
        "targets": 50,
        "weeks": 10,
        "calls_per_day": 1,
        "start": "2030-03-04",
    }


def test_config_show_lists_the_settings(db: None) -> None:
    ok("config", "set", "country", "DE")
    ok("config", "set", "daily_cap", "8")
    shown = ok("config", "show", "--json").json()
    assert (shown["country"], shown["daily_cap"], shown["playbook"]) == ("DE", 8, "jobseeker")


# -- errors: one line, exit 2, nothing written ----------------------------------------------


def test_an_unknown_name_suggests_the_close_one_and_logs_nothing(interview: None) -> None:
    line = fails("log", "call", "--with", "Dana Le")
    assert line == 'error: no person called "Dana Le" (hint: did you mean "Dana Lee"?)'
    assert Interaction.objects.count() == 1


def test_an_ambiguous_name_asks_which(interview: None) -> None:
    ok("person", "add", "Dana Lee", "--email", "dana@home.test")
    line = fails("log", "call", "--with", "Dana Lee")
    assert '2 people are called "Dana Lee"' in line
    assert "(Acme)" in line
    assert "hint: name one by its id" in line


def test_a_bad_date_names_the_option(db: None) -> None:
    assert fails("today", "--at", "2030-13-01").startswith('error: --at: "2030-13-01" is not a date and time')


def test_a_bad_role_lists_the_roles(db: None) -> None:
    line = fails("person", "add", "Dana Lee", "--role", "boss")
    assert "--role" in line
    assert "hiring_manager, interviewer, recruiter, referrer, peer, candidate" in line


def test_a_bad_second_email_writes_nothing(db: None) -> None:
    assert "e-mail address" in fails("person", "add", "Dana Lee", "--email", "dana@acme.test", "--email", "dana@")
    assert not Person.objects.exists()


def test_a_missing_option_is_one_line(db: None) -> None:
    line = fails("log", "interview")
    assert "--with" in line
    assert "hint: see topofmind log --help" in line


def test_an_unknown_command_is_one_line(db: None) -> None:
    assert "No such command" in fails("tody")


def test_an_unknown_follow_up_id_is_one_line(db: None) -> None:
    assert fails("done", "999") == (
        "error: no follow-up with id 999 (hint: the ids are in the first column of: topofmind today)"
    )


def test_a_duplicate_organization_is_refused(interview: None) -> None:
    assert 'already an organization called "acme"' in fails("org", "add", "acme")


def test_no_arguments_shows_the_help(db: None) -> None:
    run = cli()
    assert run.code == 0
    assert "today" in run.out


def test_every_command_is_documented() -> None:
    from pathlib import Path

    import typer.main

    documented = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()

    def paths(command: Any, prefix: str) -> list[str]:
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            return [prefix]
        return [p for name, sub in subcommands.items() for p in paths(sub, f"{prefix} {name}")]

    commands = paths(typer.main.get_command(app), "topofmind")
    assert len(commands) > 20
    assert [c for c in commands if f"`{c} " not in documented and f"`{c}`" not in documented] == []


def test_brackets_in_names_are_printed_as_typed(db: None) -> None:
    ok("org", "add", "Acme [/x] Labs")
    ok("person", "add", "Dana [bold]Lee", "--org", "Acme [/x] Labs", "--title", "CTO")
    assert "Acme [/x] Labs" in ok("org", "list").out
    assert "Dana [bold]Lee — CTO at Acme [/x] Labs" in ok("person", "show", "Dana [bold]Lee").out


# -- workspaces and accounts ------------------------------------------------------------------


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def _fails(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return str(result.stderr)


def test_workspace_add_list_and_work_in_one_by_name_or_id(db: None) -> None:
    _ok("org", "add", "Mine")
    assert "Made workspace" in _ok("workspace", "add", "Side project")
    rows = json.loads(_ok("workspace", "list", "--json"))
    assert [r["name"] for r in rows] == ["My job search", "Side project"]
    side = rows[1]["id"]
    _ok("--workspace", "side project", "org", "add", "Theirs")
    assert "Theirs" in _ok("--workspace", str(side), "org", "list")
    assert "Theirs" not in _ok("org", "list")  # the default stays the user's own search
    assert "Mine" in _ok("org", "list")


def test_an_unknown_workspace_is_one_line_listing_the_choices(db: None) -> None:
    _ok("workspace", "add", "Side project")
    error = _fails("--workspace", "Nope", "person", "list")
    assert error.count("\n") == 1
    assert 'no workspace "Nope"' in error
    assert "Side project (#" in error


def test_a_name_two_owners_share_is_ambiguous_and_lists_both(db: None) -> None:
    from topofmind.crm import services
    from topofmind.crm.services.members import add_user

    now = datetime(2030, 3, 5, 12, tzinfo=UTC)
    for username in ("ann", "ben"):
        services.create_workspace(name="Desk", owner_id=add_user(username=username, password="long enough pw"), now=now)
    error = _fails("--workspace", "desk", "org", "list")
    assert "several workspaces" in error
    assert "owner ann" in error
    assert "owner ben" in error
    assert _ok("--user", "ben", "--workspace", "desk", "org", "list")  # among ben's, it is one


def test_user_add_prints_a_one_time_password_and_user_list_shows_where(db: None) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    _ok("org", "list")  # the install's own search, made on first use
    out = _ok("user", "add", "bob", "--workspace", "My job search")
    password = out.rsplit(":", 1)[1].strip()
    # the sign-in throttle (django-axes) needs the request a real sign-in comes with
    assert authenticate(RequestFactory().post("/signin/"), username="bob", password=password) is not None
    users = json.loads(_ok("user", "list", "--json"))
    assert users[0]["username"] == "bob"
    assert users[0]["workspaces"] == ["My job search (member)"]
    assert "taken" in _fails("user", "add", "bob", "--workspace", "My job search")
    assert "role" in _fails("user", "add", "cy", "--workspace", "My job search", "--role", "boss")


def test_user_add_with_link_prints_an_invitation_that_works_once(db: None) -> None:
    from django.test import Client

    _ok("org", "list")
    out = _ok("user", "add", "dan", "--workspace", "My job search", "--link", "--url", "http://127.0.0.1:8000/")
    path = out.strip().splitlines()[-1].removeprefix("http://127.0.0.1:8000")
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.post(path, {"username": "dan", "password": "long enough pw"}).status_code == 302
    assert client.get(path).status_code == 404


def test_the_demo_is_its_own_workspace_and_removed_by_name(db: None) -> None:
    from topofmind import demo
    from topofmind.crm.models import Organization, Workspace

    _ok("org", "add", "Mine")
    demo.main()
    assert "Northwind" not in _ok("org", "list")  # the CLI's default is never the demo
    assert "Northwind" in _ok("--workspace", "Demo search", "org", "list")
    assert 'Removed workspace "Demo search"' in _ok("workspace", "remove", "Demo search")
    assert not Workspace.objects.filter(is_demo=True).exists()
    assert list(Organization.objects.values_list("name", flat=True)) == ["Mine"]


def test_touches_logged_from_the_cli_record_the_acting_user(db: None) -> None:
    from topofmind.crm import services
    from topofmind.crm.models import Workspace

    _ok("person", "add", "Dana Lee")
    own = Workspace.objects.get()
    ann = services.add_user(username="ann", password="long enough pw")
    services.add_member(workspace=own, user_id=ann, now=datetime(2030, 3, 5, tzinfo=UTC))
    _ok("--user", "ann", "--workspace", "My job search", "log", "call", "--with", "Dana Lee")
    assert 'no user named "nobody"' in _fails("--user", "nobody", "log", "call", "--with", "Dana Lee")
    touch = Interaction.objects.get()
    assert touch.logged_by_id == ann
