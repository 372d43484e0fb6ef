"""A suggestion kept as a FollowUp row reads back as the same suggestion, whatever it holds."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from topofmind.crm.models import FollowUp, Workspace
from topofmind.crm.planning.snapshot import row_values, suggestion_from, to_suggestion
from topofmind.engine.types import Channel, Purpose, Suggestion

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2040, 1, 1),
    timezones=st.sampled_from([UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")]),
).map(lambda d: d.replace(microsecond=0))
ids = st.none() | st.integers(min_value=1, max_value=10**9)
texts = st.text(max_size=40)

suggestions = st.builds(
    Suggestion,
    key=st.text(min_size=1, max_size=60),
    purpose=st.sampled_from(Purpose),
    rule=st.sampled_from(["R1", "R3", "R15", "P2"]),
    person_id=ids,
    person_name=st.none() | texts,
    organization_id=ids,
    organization_name=st.none() | texts,
    opportunity_id=ids,
    opportunity_title=st.none() | texts,
    channel=st.sampled_from(Channel),
    due=moments,
    due_day=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)),
    actionable_from=moments,
    priority=st.integers(min_value=-1000, max_value=1000),
    why=texts,
    cause_interaction_id=ids,
    points=texts,
    expects_answer=st.booleans(),
    call_window=texts,
    phone_known=st.booleans(),
    channel_chosen_by_person=st.booleans(),
    org_priority=st.integers(min_value=1, max_value=5),
    extra=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
)


@given(suggestions)
def test_every_field_survives_the_store(s: Suggestion) -> None:
    stored = json.loads(json.dumps(row_values(s), default=str))  # JSON columns go through JSON
    columns = {**row_values(s), "extra": stored["extra"], "engine_fields": stored["engine_fields"]}
    back = suggestion_from(
        columns, person_name=s.person_name, organization_name=s.organization_name, opportunity_title=s.opportunity_title
    )
    assert back == s
    assert back.extra == s.extra


def test_a_saved_row_reads_back_in_utc_as_the_same_moment(alice: Workspace, now: datetime) -> None:
    berlin = datetime(2030, 3, 31, 1, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # the night clocks go forward
    s = Suggestion(
        key="R1:thank_you:x",
        purpose=Purpose.THANK_YOU,
        rule="R1",
        person_id=None,
        person_name=None,
        organization_id=None,
        organization_name=None,
        opportunity_id=None,
        opportunity_title=None,
        channel=Channel.EMAIL,
        due=berlin + timedelta(hours=24),
        due_day=date(2030, 3, 31),
        actionable_from=berlin,
        priority=3,
        why="thank-you due",
        phone_known=True,
        extra={"a": "b"},
    )
    FollowUp.objects.create(workspace=alice, state="pending", **row_values(s))
    back = to_suggestion(FollowUp.objects.get(key="R1:thank_you:x"))
    assert back == s
    assert back.due.tzinfo is not None
