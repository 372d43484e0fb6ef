"""The read model: one function per screen or list, shared by the web app, the CLI and the API.

Nothing here writes. Every function takes the workspace first and filters every query by it,
so a row of another workspace is never found: a missing or foreign id is ``NotFound`` all the
same (the web app turns that into a 404 that does not reveal whether the row exists).

``from topofmind.crm import queries`` then ``queries.people(...)``: the public names of the
modules are re-exported here (but for ``calendar`` and ``exports``, imported where used: they
load the iCalendar and vCard writers, which the CLI's start-up and the agenda need not pay for), and the agenda itself (``agenda``, the planning reader). (``people``, ``organizations``, ``opportunities``, ``board``,
``search`` and ``agenda`` name both a module and its main function; here they are the functions,
so those modules are imported here at once. The modules in ``_LATER`` are imported on the first
use of one of their names.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from topofmind.crm.queries.agenda import AgendaItem, agenda, agenda_fingerprint, check_draft, ghosted_flags
from topofmind.crm.queries.board import BOARD_STAGES, Card, Column, board
from topofmind.crm.queries.opportunities import (
    OpportunityPage,
    Participant,
    get_opportunity,
    list_opportunities,
    open_openings_of,
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
    person_names,
    person_page,
    person_suggestions,
)
from topofmind.crm.queries.search import Hit, SearchResults, search, search_dict, search_words
from topofmind.crm.queries.workspace import (
    MemberRow,
    UserRow,
    WorkspaceRow,
    all_users,
    all_workspaces,
    config_values,
    find_workspace,
    first_workspace,
    get_plan,
    has_organizations,
    has_people,
    invitation_for,
    members_of,
    plan_row,
    policy_of,
    role_in,
    timezone_of,
    user_id_of,
    user_name_of,
    user_settings_of,
    viewer_of,
    workspace_for,
    workspaces_of,
)

if TYPE_CHECKING:
    from topofmind.crm.queries.followups import (
        UNDO_MINUTES,
        followups_page,
        get_followup,
        last_undoable,
        list_followups,
        live_followups,
        next_up,
    )
    from topofmind.crm.queries.mail import (
        MailAccountView,
        MailStatus,
        Reach,
        ReviewView,
        SendView,
        SyncStatus,
        account_view,
        has_mail_account,
        mail_reviews,
        mail_status,
        open_review_count,
        outbox,
        people_with_email,
        reach_of,
        sync_status,
    )
    from topofmind.crm.queries.removal import (
        MergePreview,
        Removal,
        merge_preview,
        opening_removal,
        organization_removal,
        person_removal,
    )
    from topofmind.crm.queries.review import weekly_review
    from topofmind.crm.queries.tokens import all_tokens, member_of, token_by_id, token_for, tokens_of
    from topofmind.crm.queries.touches import (
        get_touch,
        interactions_of_person,
        list_interactions,
        participant_names,
        recent_touches,
        timeline,
        touches_page,
    )
    from topofmind.crm.queries.value import (
        KINDS,
        LibraryFilter,
        check_kind,
        feeds,
        get_feed,
        get_value_item,
        library,
        library_items,
        library_tags,
        shares_of_person,
    )

# Loaded on first use (``__getattr__`` below): the screens `topofmind today` never shows - mail,
# the weekly review, removals, the value library, tokens, touches and follow-up lists.
_LATER = ("followups", "mail", "removal", "review", "tokens", "touches", "value")

__all__ = [
    "BOARD_STAGES",
    "KINDS",
    "MUTUAL_ROLES",
    "PER_PAGE",
    "UNDO_MINUTES",
    "AgendaItem",
    "Card",
    "Column",
    "Hit",
    "LibraryFilter",
    "MailAccountView",
    "MailStatus",
    "MemberRow",
    "MergePreview",
    "OpeningPart",
    "OpportunityPage",
    "OrganizationPage",
    "Part",
    "Participant",
    "PeopleFilter",
    "PersonPage",
    "Reach",
    "Removal",
    "ReviewView",
    "SearchResults",
    "SendView",
    "SyncStatus",
    "UserRow",
    "WorkspaceRow",
    "account_view",
    "agenda",
    "agenda_fingerprint",
    "all_tokens",
    "all_users",
    "all_workspaces",
    "annotated_people",
    "board",
    "cadence_of",
    "check_draft",
    "check_kind",
    "config_values",
    "feeds",
    "find_workspace",
    "first_workspace",
    "followups_page",
    "get_feed",
    "get_followup",
    "get_opportunity",
    "get_organization",
    "get_person",
    "get_plan",
    "get_touch",
    "get_value_item",
    "ghosted_flags",
    "has_mail_account",
    "has_organizations",
    "has_people",
    "interactions_of_person",
    "invitation_for",
    "last_undoable",
    "library",
    "library_items",
    "library_tags",
    "list_followups",
    "list_interactions",
    "list_opportunities",
    "list_organizations",
    "list_people",
    "live_followups",
    "mail_reviews",
    "mail_status",
    "member_of",
    "members_of",
    "merge_preview",
    "names_one_person",
    "next_up",
    "open_openings_of",
    "open_review_count",
    "opening_parts_of",
    "opening_removal",
    "openings_with_employers",
    "opportunities",
    "opportunity_page",
    "organization_choices",
    "organization_names",
    "organization_or_none",
    "organization_page",
    "organization_removal",
    "organizations",
    "outbox",
    "participant_names",
    "people",
    "people_with_email",
    "person_names",
    "person_page",
    "person_removal",
    "person_suggestions",
    "plan_row",
    "policy_of",
    "reach_of",
    "recent_touches",
    "role_in",
    "search",
    "search_dict",
    "search_words",
    "shares_of_person",
    "stage_history",
    "sync_status",
    "timeline",
    "timezone_of",
    "token_by_id",
    "token_for",
    "tokens_of",
    "touches_page",
    "user_id_of",
    "user_name_of",
    "user_settings_of",
    "viewer_of",
    "weekly_review",
    "workspace_for",
    "workspaces_of",
]


def __getattr__(name: str) -> Any:
    """A public name of the modules loaded on first use: load them all, and bind their names here."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    modules = [import_module(f"{__name__}.{module}") for module in _LATER]
    for public in __all__:
        if public not in globals():
            globals()[public] = next(getattr(m, public) for m in modules if hasattr(m, public))
    return globals()[name]
