"""The use-cases: the only code that writes the store, one module per noun.

Conventions: keyword-only arguments; rows named by id (entry points resolve names with
``topofmind.crm.queries.lookup``), except the ``*_touch`` / ``resolve_people`` / ``add_participant``
use-cases, which take people as typed; ``now`` (the wall clock) and ``at`` (when something
happened) passed in by the entry point; every write in one transaction that also re-plans the
follow-ups, so a failed write leaves nothing behind and the agenda never lags a write.
Errors a user can cause are ``topofmind.crm.errors.TopofmindError``.

Edits take ``UNSET`` for "leave as it is".

``from topofmind.crm import services`` then ``services.add_person(...)``: this package
re-exports every public use-case, so callers need not know which module holds it.
Reading (lists, the settings, the plan, the agenda) lives in ``topofmind.crm.queries``.
"""

from __future__ import annotations

from topofmind.crm.planning import ReplanResult, replan
from topofmind.crm.services._fields import UNSET, Maybe
from topofmind.crm.services.accounts import OwnerAccount, ensure_owner, save_user_settings, set_password
from topofmind.crm.services.demo import open_demo
from topofmind.crm.services.feeds import FeedOutcome, add_feed, fetch_feeds, remove_feed, set_feeds
from topofmind.crm.services.followups import done, edit_draft, mark_sent, set_value_choice, skip, snooze
from topofmind.crm.services.mail import (
    MailCheck,
    SendRefused,
    TryLater,
    check_mail_account,
    deliver,
    fail_send,
    mail_account_of,
    note_send_job,
    queue_send,
    resolve_unknown_send,
    send_due_digests,
    set_digest,
    settle_cut_off_sends,
    setup_mail_account,
    transport_account,
)
from topofmind.crm.services.mail_sync import (
    SyncError,
    SyncReport,
    accept_review,
    accounts_to_sync,
    dismiss_review,
    set_sync_window,
    sync_mailbox,
)
from topofmind.crm.services.members import (
    INVITATION_DAYS,
    NewInvitation,
    accept_invitation,
    add_member,
    add_user,
    invite,
    member_removed,
    remove_member,
)
from topofmind.crm.services.opportunities import add_opportunity, add_participant, delete_opportunity, edit_opportunity
from topofmind.crm.services.organizations import add_organization, delete_organization, edit_organization
from topofmind.crm.services.people import (
    EmailTaken,
    ResolvedPeople,
    add_person,
    delete_person,
    edit_person,
    merge_people,
    resolve_people,
    resume_contact,
    stop_contact,
)
from topofmind.crm.services.sessions import change_password, end_sessions
from topofmind.crm.services.settings import CONFIG_KEYS, save_settings, set_config, set_plan
from topofmind.crm.services.tokens import NewToken, create_token, revoke_member_tokens, revoke_token, touch_token
from topofmind.crm.services.touches import (
    delete_interaction,
    edit_interaction,
    edit_touch,
    log_interaction,
    log_touch,
)
from topofmind.crm.services.undo import UNDO_MINUTES, undo
from topofmind.crm.services.value import (
    AddedArticle,
    add_achievement,
    add_article,
    add_material,
    edit_tags,
    material_orphans,
    material_path,
    materials_folder,
    remove_item,
    set_interests,
    sweep_material_orphans,
)
from topofmind.crm.services.workspaces import (
    DEFAULT_WORKSPACE_NAME,
    DEMO_WORKSPACE_NAME,
    create_workspace,
    ensure_workspace,
    get_or_create_default_workspace,
    remove_workspace,
)

__all__ = [
    "CONFIG_KEYS",
    "DEFAULT_WORKSPACE_NAME",
    "DEMO_WORKSPACE_NAME",
    "INVITATION_DAYS",
    "UNDO_MINUTES",
    "UNSET",
    "AddedArticle",
    "EmailTaken",
    "FeedOutcome",
    "MailCheck",
    "Maybe",
    "NewInvitation",
    "NewToken",
    "OwnerAccount",
    "ReplanResult",
    "ResolvedPeople",
    "SendRefused",
    "SyncError",
    "SyncReport",
    "TryLater",
    "accept_invitation",
    "accept_review",
    "accounts_to_sync",
    "add_achievement",
    "add_article",
    "add_feed",
    "add_material",
    "add_member",
    "add_opportunity",
    "add_organization",
    "add_participant",
    "add_person",
    "add_user",
    "change_password",
    "check_mail_account",
    "create_token",
    "create_workspace",
    "delete_interaction",
    "delete_opportunity",
    "delete_organization",
    "delete_person",
    "deliver",
    "dismiss_review",
    "done",
    "edit_draft",
    "edit_interaction",
    "edit_opportunity",
    "edit_organization",
    "edit_person",
    "edit_tags",
    "edit_touch",
    "end_sessions",
    "ensure_owner",
    "ensure_workspace",
    "fail_send",
    "fetch_feeds",
    "get_or_create_default_workspace",
    "invite",
    "log_interaction",
    "log_touch",
    "mail_account_of",
    "mark_sent",
    "material_orphans",
    "material_path",
    "materials_folder",
    "member_removed",
    "merge_people",
    "note_send_job",
    "open_demo",
    "queue_send",
    "remove_feed",
    "remove_item",
    "remove_member",
    "remove_workspace",
    "replan",
    "resolve_people",
    "resolve_unknown_send",
    "resume_contact",
    "revoke_member_tokens",
    "revoke_token",
    "save_settings",
    "save_user_settings",
    "send_due_digests",
    "set_config",
    "set_digest",
    "set_feeds",
    "set_interests",
    "set_password",
    "set_plan",
    "set_sync_window",
    "set_value_choice",
    "settle_cut_off_sends",
    "setup_mail_account",
    "skip",
    "snooze",
    "stop_contact",
    "sweep_material_orphans",
    "sync_mailbox",
    "touch_token",
    "transport_account",
    "undo",
]
