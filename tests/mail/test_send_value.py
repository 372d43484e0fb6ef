"""R10 through the outbox: the item a sent draft still carries is shared with that person, once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from tests.mail.conftest import Desk

from topofmind.crm import queries, services
from topofmind.crm.models import ValueItem, ValueShare

pytestmark = pytest.mark.django_db


def test_a_sent_draft_shares_the_item_it_still_carries(desk: Desk, now: datetime) -> None:
    exam = ValueItem.objects.create(
        workspace=desk.workspace, kind="achievement", title="Passed the AWS data analytics exam",
        happened_on=date(2030, 2, 20), created_at=now,
    )  # fmt: skip
    item = next(i for i in queries.agenda(workspace=desk.workspace, at=now) if i.followup_id == desk.nudge.pk)
    assert item.value is not None and item.value.id == exam.pk
    assert "Passed the AWS data analytics exam" in item.draft.body
    row = services.queue_send(
        workspace=desk.workspace,
        user_id=desk.user_id,
        followup_id=desk.nudge.pk,
        subject=item.draft.subject,
        body=item.draft.body,
        now=now,
    )
    done = services.deliver(outbox_id=row.pk, now=now + timedelta(seconds=5))
    assert done.state == "sent"
    share = ValueShare.objects.get(person=desk.dana)
    assert (share.value_item_id, share.interaction_id) == (exam.pk, done.interaction_id)
