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
from topofmind.crm.services.accounts import OwnerAccount, ensure_owner, set_password
from topofmind.crm.services.followups import done, edit_draft, mark_sent, skip, snooze
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
    send_due_digests,
    set_digest,
    settle_cut_off_sends,
    setup_mail_account,
    transport_account,
)
from topofmind.crm.services.opportunities import add_opportunity, add_participant, edit_opportunity
from topofmind.crm.services.organizations import add_organization, edit_organization
from topofmind.crm.services.people import (
    ResolvedPeople,
    add_person,
    edit_person,
    resolve_people,
    resume_contact,
    stop_contact,
)
from topofmind.crm.services.settings import CONFIG_KEYS, save_settings, set_config, set_plan
from topofmind.crm.services.touches import (
    delete_interaction,
    edit_interaction,
    edit_touch,
    log_interaction,
    log_touch,
)
from topofmind.crm.services.workspaces import (
    DEFAULT_WORKSPACE_NAME,
    create_workspace,
    ensure_workspace,
    get_or_create_default_workspace,
)

__all__ = [
    "CONFIG_KEYS",
    "DEFAULT_WORKSPACE_NAME",
    "UNSET",
    "MailCheck",
    "Maybe",
    "OwnerAccount",
    "ReplanResult",
    "ResolvedPeople",
    "SendRefused",
    "TryLater",
    "add_opportunity",
    "add_organization",
    "add_participant",
    "add_person",
    "check_mail_account",
    "create_workspace",
    "delete_interaction",
    "deliver",
    "done",
    "edit_draft",
    "edit_interaction",
    "edit_opportunity",
    "edit_organization",
    "edit_person",
    "edit_touch",
    "ensure_owner",
    "ensure_workspace",
    "fail_send",
    "get_or_create_default_workspace",
    "log_interaction",
    "log_touch",
    "mail_account_of",
    "mark_sent",
    "note_send_job",
    "queue_send",
    "replan",
    "resolve_people",
    "resume_contact",
    "save_settings",
    "send_due_digests",
    "set_config",
    "set_digest",
    "set_password",
    "set_plan",
    "settle_cut_off_sends",
    "setup_mail_account",
    "skip",
    "snooze",
    "stop_contact",
    "transport_account",
]
