"""The read model: one function per screen or list, shared by the web app, the CLI and the API.

Nothing here writes. Every function takes the workspace first and filters every query by it,
so a row of another workspace is never found: a missing or foreign id is ``NotFound`` all the
same (the web app turns that into a 404 that does not reveal whether the row exists).

``from topofmind.crm import queries`` then ``queries.people(...)``: the public names of the
modules are re-exported here, and the agenda itself (``agenda``, the planning reader). (``people``, ``organizations``, ``opportunities`` and ``board``
name both a module and its main function; here they are the functions.)
"""

from __future__ import annotations

from topofmind.crm.queries.agenda import AgendaItem, agenda, agenda_fingerprint, ghosted_flags
from topofmind.crm.queries.board import BOARD_STAGES, Card, Column, board
from topofmind.crm.queries.followups import get_followup, list_followups, live_followups, next_up
from topofmind.crm.queries.mail import (
    MailAccountView,
    MailStatus,
    SendView,
    account_view,
    has_mail_account,
    mail_status,
    people_with_email,
)
from topofmind.crm.queries.opportunities import (
    OpportunityPage,
    Participant,
    get_opportunity,
    list_opportunities,
    openings_with_employers,
    opportunities,
    opportunity_page,
    stage_history,
)
from topofmind.crm.queries.organizations import (
    MUTUAL_ROLES,
    OrganizationPage,
    get_organization,
    list_organizations,
    organization_choices,
    organization_names,
    organization_or_none,
    organization_page,
    organizations,
)
from topofmind.crm.queries.paging import PER_PAGE
from topofmind.crm.queries.people import (
    OpeningPart,
    Part,
    PeopleFilter,
    PersonPage,
    annotated_people,
    cadence_of,
    get_person,
    list_people,
    names_one_person,
    opening_parts_of,
    people,
    person_page,
    person_suggestions,
)
from topofmind.crm.queries.review import weekly_review
from topofmind.crm.queries.touches import (
    get_touch,
    interactions_of_person,
    list_interactions,
    participant_names,
    recent_touches,
    timeline,
)
from topofmind.crm.queries.workspace import (
    config_values,
    first_workspace,
    get_plan,
    has_organizations,
    has_people,
    plan_row,
    policy_of,
    timezone_of,
    user_name_of,
    workspace_for,
)

__all__ = [
    "BOARD_STAGES",
    "MUTUAL_ROLES",
    "PER_PAGE",
    "AgendaItem",
    "Card",
    "Column",
    "MailAccountView",
    "MailStatus",
    "OpeningPart",
    "OpportunityPage",
    "OrganizationPage",
    "Part",
    "Participant",
    "PeopleFilter",
    "PersonPage",
    "SendView",
    "account_view",
    "agenda",
    "agenda_fingerprint",
    "annotated_people",
    "board",
    "cadence_of",
    "config_values",
    "first_workspace",
    "get_followup",
    "get_opportunity",
    "get_organization",
    "get_person",
    "get_plan",
    "get_touch",
    "ghosted_flags",
    "has_mail_account",
    "has_organizations",
    "has_people",
    "interactions_of_person",
    "list_followups",
    "list_interactions",
    "list_opportunities",
    "list_organizations",
    "list_people",
    "live_followups",
    "mail_status",
    "names_one_person",
    "next_up",
    "opening_parts_of",
    "openings_with_employers",
    "opportunities",
    "opportunity_page",
    "organization_choices",
    "organization_names",
    "organization_or_none",
    "organization_page",
    "organizations",
    "participant_names",
    "people",
    "people_with_email",
    "person_page",
    "person_suggestions",
    "plan_row",
    "policy_of",
    "recent_touches",
    "stage_history",
    "timeline",
    "timezone_of",
    "user_name_of",
    "weekly_review",
    "workspace_for",
]
