"""Pages that stay honest (issue 11, point 4): long notes fold, Settings shows the active
playbook's numbers under one Save, an overdue follow-up says so on the person page too."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from test_web_fixtures import WEB_NOW, Search, text_of

from topofmind.crm import services
from topofmind.web.templatetags.topofmind import fold

pytest_plugins = ["test_web_fixtures"]


def test_short_notes_show_whole_and_long_ones_fold_with_show_more() -> None:
    assert fold("Met at <PyCon>") == "Met at &lt;PyCon&gt;"
    long = "word " * 100
    folded = fold(long + "<b>end</b>")
    assert folded.startswith('<span class="fold">word word')
    assert "<summary>Show more</summary>" in folded
    assert "&lt;b&gt;end&lt;/b&gt;" in folded  # the rest is there, escaped, once
    assert folded.count("word") == 100


def test_a_persons_long_notes_fold_on_their_page(as_alice: Client, search: Search) -> None:
    notes = "First line of what I know.\n" + "More context about the team. " * 30
    services.edit_person(workspace=search.workspace, person_id=search.dana.pk, now=WEB_NOW, notes=notes)
    html = as_alice.get(f"/people/{search.dana.pk}/").content.decode()
    assert "<summary>Show more</summary>" in html


def test_settings_shows_the_active_playbooks_numbers_and_the_others_behind_a_disclosure(
    as_alice: Client, search: Search
) -> None:
    html = as_alice.get("/settings/").content.decode()
    assert "<title>Settings · topofmind</title>" in html
    active, _, others = html.partition('<details class="other-numbers"')
    assert "First nudge after (days)" in active  # R3: the job seeker's
    assert "Candidate update every (days)" not in active  # P4: the recruiter's
    assert "Candidate update every (days)" in others
    assert html.count("Save numbers") == 1


def test_an_overdue_follow_up_says_so_on_the_person_page_too(as_alice: Client, search: Search) -> None:
    with time_machine.travel(WEB_NOW + timedelta(days=2), tick=False):
        today = text_of(as_alice.get("/"))
        person = as_alice.get(f"/people/{search.dana.pk}/").content.decode()
    assert "Overdue since Wed 6 Mar, 10:00" in today  # the thank-you (R1) on Today...
    assert '<span class="due overdue">overdue since Wed 6 Mar, 10:00</span>' in person  # ...and on her page
