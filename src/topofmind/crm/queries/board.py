"""The board: every opening in a column by stage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from topofmind.crm.models import Opportunity, OpportunityParticipant, Workspace
from topofmind.engine.labels import stage_label
from topofmind.engine.types import Stage

# The board shows these columns, left to right; the rest of the stages are "closed".
BOARD_STAGES: tuple[Stage, ...] = (
    Stage.PROSPECT,
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.INTERVIEWING,
    Stage.OFFER,
    Stage.ACCEPTED,
    Stage.REJECTED,
    Stage.WITHDRAWN,
    Stage.ON_HOLD,
)


@dataclass
class Card:
    opportunity: Opportunity
    ghosted: str = ""  # why it looks ghosted (R17), "" if not
    people: list[str] = field(default_factory=list)


@dataclass
class Column:
    stage: str
    label: str
    cards: list[Card]


def board(workspace: Workspace, *, ghosted: dict[int, str] | None = None) -> list[Column]:
    """Every opening in a column by stage; ``ghosted`` are the R17 flags (from the core)."""
    flags = ghosted or {}
    opps = list(
        Opportunity.objects.filter(workspace=workspace)
        .select_related("organization")
        .annotate(last_touch=Max("interactions__at"))
        .order_by("organization__name", "title", "pk")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for opp_id, name in (
        OpportunityParticipant.objects.filter(opportunity__workspace=workspace)
        .order_by("person__name")
        .values_list("opportunity_id", "person__name")
        .distinct()
    ):
        if name not in names[opp_id]:
            names[opp_id].append(name)
    columns = {s.value: Column(stage=s.value, label=stage_label(s.value), cards=[]) for s in BOARD_STAGES}
    for opp in opps:
        columns.setdefault(opp.stage, Column(stage=opp.stage, label=stage_label(opp.stage), cards=[]))
        columns[opp.stage].cards.append(
            Card(opportunity=opp, ghosted=flags.get(opp.pk, ""), people=names.get(opp.pk, []))
        )
    return list(columns.values())
