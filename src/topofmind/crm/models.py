"""The store. Every row belongs to a workspace; timestamps are UTC.

Only ``topofmind.crm.services`` (and the modules it delegates to) writes these rows.
Choice values are the engine's enums (``topofmind.engine.types``), so a row converts to
an engine snapshot without a mapping table.
"""

from __future__ import annotations

import enum

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now

from topofmind.engine.types import Channel, Direction, Kind, Purpose, Role, Stage, State


def choices(kind: type[enum.Enum]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in kind]


class Workspace(models.Model):
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    # The demo search lives in a workspace of its own, so a real search never holds made-up people.
    is_demo = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # services check first and say so nicely; this is the backstop
            models.UniqueConstraint("owner", Lower("name"), name="workspace_name_once_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Who may see a workspace (team mode)."""

    class MemberRole(models.TextChoices):
        OWNER = "owner"
        MEMBER = "member"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "workspace"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.workspace_id} ({self.role})"


class UserSettings(models.Model):
    """What belongs to a person rather than to a desk: the name that signs their drafts, and the
    time zone and holiday country their "today" and business days are read in. No row yet = the
    user has not answered the first-start questions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topofmind_settings")
    name = models.CharField(max_length=200, blank=True, default="")  # signs the drafts
    timezone = models.CharField(max_length=64, default="UTC")
    country = models.CharField(max_length=8, blank=True, default="")  # ISO code for holidays; "" = none
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"settings of user {self.user_id}"


class Invitation(models.Model):
    """A one-time link into a workspace. Only the SHA-256 of its token is kept."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Membership.MemberRole.choices, default=Membership.MemberRole.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.workspace_id}"


class WorkspaceSettings(models.Model):
    class Playbook(models.TextChoices):
        JOBSEEKER = "jobseeker"
        RECRUITER = "recruiter"

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="settings")
    # The zone and country the stored plan is made in: the owner's (services keep them in step
    # with the owner's UserSettings). Each user's agenda is then read in their own zone.
    timezone = models.CharField(max_length=64, default="UTC")
    country = models.CharField(max_length=8, blank=True, default="")  # ISO code for holidays; "" = none
    playbook = models.CharField(max_length=20, choices=Playbook.choices, default=Playbook.JOBSEEKER)
    daily_cap = models.PositiveIntegerField(null=True, blank=True)  # None = the playbook's number
    overrides = models.JSONField(default=dict, blank=True)  # playbook numbers the user changed
    # Signs drafts only where no user acts (the CLI before any account exists); a user's
    # UserSettings.name wins.
    user_name = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return f"settings of {self.workspace_id}"


class Organization(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="organizations")
    name = models.CharField(max_length=200)
    website = models.URLField(max_length=500, blank=True, default="")
    industry = models.CharField(max_length=200, blank=True, default="")
    priority = models.PositiveSmallIntegerField(default=3)  # 1 (highest) .. 5
    target = models.BooleanField(default=False)
    notes = models.TextField(blank=True, default="")
    tags = models.TextField(blank=True, default="")  # comma-separated
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            # services check first and say so nicely; this is the backstop
            models.UniqueConstraint("workspace", Lower("name"), name="organization_name_once"),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="organization_priority_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "name"])]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    title = models.CharField(max_length=200, blank=True, default="")
    linkedin_url = models.URLField(max_length=500, blank=True, default="")
    linkedin_connected = models.BooleanField(default=False)
    prefers = models.CharField(max_length=20, choices=choices(Channel), blank=True, default="")  # "" = none
    timezone = models.CharField(max_length=64, blank=True, default="")  # "" = the user's
    how_met = models.TextField(blank=True, default="")
    interests = models.TextField(blank=True, default="")  # comma-separated
    notes = models.TextField(blank=True, default="")
    do_not_contact = models.BooleanField(default=False)
    dnc_reason = models.TextField(blank=True, default="")
    dnc_at = models.DateTimeField(null=True, blank=True)
    cadence_days = models.PositiveIntegerField(null=True, blank=True)  # keep-warm override (R5)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "name"]),
            models.Index(fields=["workspace", "organization"]),
        ]

    def __str__(self) -> str:
        return self.name


class PersonRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=choices(Role))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="person_role_once")]

    def __str__(self) -> str:
        return self.role


class PersonEmail(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.CharField(max_length=320)
    label = models.CharField(max_length=50, blank=True, default="")
    # A bounce (a delivery report: failed, 5.x.x) marked it: follow-ups go another way (issue 14).
    bad = models.BooleanField(default=False)
    bad_reason = models.TextField(blank=True, default="")
    bad_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["address"])]

    def __str__(self) -> str:
        return self.address


class PersonPhone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=100)  # as given: the user typed it, the user reads it
    label = models.CharField(max_length=50, blank=True, default="")

    def __str__(self) -> str:
        return self.number


class Opportunity(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="opportunities")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="opportunities")
    title = models.CharField(max_length=300)
    posting_url = models.URLField(max_length=1000, blank=True, default="")
    posting_text = models.TextField(blank=True, default="")
    source = models.CharField(max_length=200, blank=True, default="")
    stage = models.CharField(max_length=20, choices=choices(Stage), default=Stage.PROSPECT.value)
    decision_date = models.DateField(null=True, blank=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "stage"]),
            models.Index(fields=["workspace", "organization"]),
        ]

    def __str__(self) -> str:
        return self.title


class OpportunityParticipant(models.Model):
    """A person's part in an opportunity; one row per part. ``role`` "" = part not known yet."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="opportunity_parts")
    role = models.CharField(max_length=20, choices=choices(Role), blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opportunity", "person", "role"], name="participant_part_once")]
        indexes = [models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.person_id} as {self.role or 'participant'} in {self.opportunity_id}"


class StageChange(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=choices(Stage), blank=True, default="")
    to_stage = models.CharField(max_length=20, choices=choices(Stage))
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} -> {self.to_stage}"


class Interaction(models.Model):
    """One touch, in either direction."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="interactions")
    at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=choices(Kind))
    channel = models.CharField(max_length=20, choices=choices(Channel), blank=True, default="")  # "" = unknown
    direction = models.CharField(max_length=10, choices=choices(Direction))
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    summary = models.TextField(blank=True, default="")
    points = models.TextField(blank=True, default="")  # key points discussed (thank-you drafts use them)
    notes = models.TextField(blank=True, default="")
    permission_materials = models.BooleanField(default=False)  # R11
    message_id = models.CharField(max_length=500, blank=True, default="")  # e-mail Message-ID
    in_reply_to = models.CharField(max_length=500, blank=True, default="")  # the Message-ID it answers
    ooo_until = models.DateField(null=True, blank=True)  # out-of-office return date (R7)
    created_at = models.DateTimeField(default=now)
    # Who logged it; None for touches from before accounts, imports, restores and mail sync.
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "at"]),
            models.Index(fields=["workspace", "message_id"]),
        ]
        constraints = [
            # one touch per e-mail: the mailbox sync relies on it to never log a message twice
            models.UniqueConstraint(
                fields=["workspace", "message_id"],
                condition=~models.Q(message_id=""),
                name="interaction_message_id_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class InteractionParticipant(models.Model):
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interaction_parts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["interaction", "person"], name="interaction_participant_once")]
        indexes = [models.Index(fields=["person", "interaction"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.interaction_id}"


class FollowUp(models.Model):
    """A suggestion the engine planned, kept so the user's done / snooze / skip holds.

    Upserted by ``key`` after every write (see crm/planning.py). The columns mirror
    ``engine.types.Suggestion``; fields the engine adds later ride in ``engine_fields``.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="followups")
    key = models.CharField(max_length=300)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="followups")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    purpose = models.CharField(max_length=30, choices=choices(Purpose))
    rule = models.CharField(max_length=10)
    channel = models.CharField(max_length=20, choices=choices(Channel))
    due = models.DateTimeField()
    due_day = models.DateField()
    actionable_from = models.DateTimeField()
    priority = models.IntegerField(default=0)
    why = models.TextField()
    cause_interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="caused_followups"
    )
    points = models.TextField(blank=True, default="")
    expects_answer = models.BooleanField(default=False)
    call_window = models.CharField(max_length=200, blank=True, default="")
    extra = models.JSONField(default=dict, blank=True)  # Suggestion.extra
    engine_fields = models.JSONField(default=dict, blank=True)  # other Suggestion fields
    state = models.CharField(max_length=12, choices=choices(State), default=State.PENDING.value)
    state_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    draft_subject = models.CharField(max_length=300, blank=True, default="")  # "" = the generated draft
    draft_body = models.TextField(blank=True, default="")
    # The user's choice of what this follow-up carries (R10): "" = the engine's pick, "item" = value_item,
    # "none" = nothing. User state like `state`: a re-plan never overwrites it.
    value_choice = models.CharField(max_length=8, blank=True, default="")
    value_item = models.ForeignKey(
        "ValueItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="chosen_by"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="followup_key_once")]
        indexes = [
            models.Index(fields=["workspace", "state", "due_day"]),
            models.Index(fields=["workspace", "person"]),
            # the agenda reads each purpose's live rows oldest due day first (crm/planning.py)
            models.Index(fields=["workspace", "state", "purpose", "due_day", "id"], name="followup_agenda_stream"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.state})"


class ValueItem(models.Model):
    """Something worth sharing: an article, company news, an achievement, a material (R10)."""

    class ValueKind(models.TextChoices):
        ARTICLE = "article"
        NEWS = "news"
        ACHIEVEMENT = "achievement"
        MATERIAL = "material"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="value_items")
    kind = models.CharField(max_length=20, choices=ValueKind.choices)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    tags = models.TextField(blank=True, default="")  # comma-separated
    # News: the employer it is about, the feed it came from and the entry's id in that feed.
    organization = models.ForeignKey(
        "Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="value_items"
    )
    feed = models.ForeignKey("Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    guid = models.CharField(max_length=500, blank=True, default="")
    # When it happened: an achievement's date, a news entry's publication day (None = unknown).
    happened_on = models.DateField(null=True, blank=True)
    # Materials: the file kept under <data dir>/materials/<workspace id>/ (a name of our own making).
    file_name = models.CharField(max_length=255, blank=True, default="")
    original_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # the newest of a kind, ``ORDER BY created_at DESC, id DESC``: a backward walk of
            # this index that stops at the limit, whatever the statistics say (see library.py)
            models.Index(fields=["workspace", "kind", "created_at", "id"]),
            # an employer's news: found by the organization ids, not by walking every news item
            models.Index(fields=["workspace", "organization", "kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "feed", "guid"],
                condition=~models.Q(guid=""),
                name="value_news_entry_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Feed(models.Model):
    """An organization's RSS or Atom feed, read on the queue for company news (R10)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="feeds")
    organization = models.ForeignKey("Organization", on_delete=models.CASCADE, related_name="news_feeds")
    url = models.URLField(max_length=1000)
    etag = models.CharField(max_length=500, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    status = models.TextField(blank=True, default="")  # in words: "12 entries, 3 new" or why it failed
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "organization", "url"], name="feed_once")]

    def __str__(self) -> str:
        return self.url


class ValueShare(models.Model):
    """What was shared with whom, so nothing goes to the same person twice (R10)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="value_shares")
    value_item = models.ForeignKey(ValueItem, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="value_shares")
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="value_shares"
    )
    shared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["value_item", "person"], name="value_shared_once")]

    def __str__(self) -> str:
        return f"{self.value_item_id} to {self.person_id}"


class Plan(models.Model):
    """The target list and capacity (R15)."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="plan")
    targets = models.PositiveIntegerField()
    weeks = models.PositiveIntegerField()
    calls_per_day = models.PositiveIntegerField(default=1)
    start = models.DateField()
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.targets} targets over {self.weeks} weeks"


class AccessToken(models.Model):
    """A personal secret for one user in one workspace: an API token or a calendar feed's address.

    Only a keyed SHA-256 digest of the secret is stored (the secret is random, so a slow hash
    would add nothing); ``prefix`` is its first characters, shown so the user can tell tokens apart.
    """

    class Scope(models.TextChoices):
        API = "api"
        FEED = "feed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="access_tokens")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    name = models.CharField(max_length=100, blank=True, default="")
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "user", "scope"])]

    def __str__(self) -> str:
        return f"{self.scope} token {self.prefix}… of {self.user_id} in {self.workspace_id}"


class MailAccount(models.Model):
    """A user's mailbox: where to send from and where to file the sent copy (issue 13).

    The password is kept only as a Fernet token (crm/secrets.py), never in clear.
    """

    class Security(models.TextChoices):
        NONE = "none"
        STARTTLS = "starttls"
        TLS = "tls"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_account")
    imap_host = models.CharField(max_length=253)
    imap_port = models.PositiveIntegerField()
    imap_security = models.CharField(max_length=10, choices=Security.choices)
    smtp_host = models.CharField(max_length=253)
    smtp_port = models.PositiveIntegerField()
    smtp_security = models.CharField(max_length=10, choices=Security.choices)
    username = models.CharField(max_length=254)
    password_token = models.TextField(blank=True, default="")  # encrypted; "" = to be set again
    addresses = models.TextField()  # the addresses the user sends from, comma-separated, first = default
    from_name = models.CharField(max_length=200, blank=True, default="")
    digest_hour = models.PositiveSmallIntegerField(null=True, blank=True)  # None = no morning digest
    digest_last_day = models.DateField(null=True, blank=True)  # the last local day a digest went out
    last_check_at = models.DateTimeField(null=True, blank=True)
    last_check_ok = models.BooleanField(default=False)
    last_error = models.TextField(blank=True, default="")  # one sentence, never a traceback
    last_error_at = models.DateTimeField(null=True, blank=True)
    # The mailbox sync (issue 14): how far back the first sync reads, and how the last one went.
    sync_window_days = models.PositiveIntegerField(default=90)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_report = models.JSONField(default=dict, blank=True)  # the counts of the last sync
    # Set while a sync runs; still set at the next start = that one was cut off before its re-plan.
    sync_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"mail account of {self.user_id}"


class MailFolderState(models.Model):
    """How far the sync has read one folder: UIDs mean something only with their UIDVALIDITY."""

    account = models.ForeignKey(MailAccount, on_delete=models.CASCADE, related_name="folders")
    folder = models.CharField(max_length=500)
    role = models.CharField(max_length=10)  # "inbox" or "sent"
    uidvalidity = models.BigIntegerField()
    last_uid = models.BigIntegerField(default=0)  # advanced only in the transaction that stored the batch
    last_sync_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "folder"], name="mail_folder_once")]

    def __str__(self) -> str:
        return f"{self.folder} up to {self.last_uid} ({self.uidvalidity})"


class MailReview(models.Model):
    """Mail the sync will not act on by itself: the user decides in one click.

    ``unmatched``: someone we do not know answered our mail ("add as a person?");
    ``ats``: an applicant-tracking system's rejection or interview invitation, with the change
    it proposes for the opening (``proposed_stage``).
    """

    class ReviewKind(models.TextChoices):
        UNMATCHED = "unmatched"
        ATS = "ats"

    class ReviewState(models.TextChoices):
        OPEN = "open"
        ACCEPTED = "accepted"
        DISMISSED = "dismissed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="mail_reviews")
    kind = models.CharField(max_length=10, choices=ReviewKind.choices)
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN)
    message_id = models.CharField(max_length=500)
    in_reply_to = models.CharField(max_length=500, blank=True, default="")
    received_at = models.DateTimeField()
    sender_name = models.CharField(max_length=200, blank=True, default="")
    sender_address = models.CharField(max_length=320, blank=True, default="")
    subject = models.CharField(max_length=300, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    # ATS: what the mail says and the change it proposes.
    ats_system = models.CharField(max_length=50, blank=True, default="")
    ats_category = models.CharField(max_length=20, blank=True, default="")  # rejection / interview
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="mail_reviews"
    )
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="mail_reviews"
    )
    proposed_stage = models.CharField(max_length=20, choices=choices(Stage), blank=True, default="")
    # Set when the user accepts: the person added, the touch logged.
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    interaction = models.ForeignKey(Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "message_id"], name="mail_review_once")]
        indexes = [models.Index(fields=["workspace", "state", "received_at"])]

    def __str__(self) -> str:
        return f"{self.kind} review of {self.sender_address} ({self.state})"


class StrangerMail(models.Model):
    """The Message-ID of mail the user sent to someone topofmind does not know (from any client,
    read in the Sent folder): kept so that their answer, read by a later sync, is put up for
    review ("add as a person?") rather than left alone as a stranger's mail."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=500)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "message_id"], name="stranger_mail_once")]

    def __str__(self) -> str:
        return f"sent {self.message_id} to someone unknown"


class MailSkipped(models.Model):
    """A message the sync could not read, with the reason; the sync went on without it."""

    account = models.ForeignKey(MailAccount, on_delete=models.CASCADE, related_name="skipped")
    folder = models.CharField(max_length=500)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    reason = models.TextField()
    at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "folder", "uidvalidity", "uid"], name="mail_skipped_once")
        ]

    def __str__(self) -> str:
        return f"{self.folder} UID {self.uid}: {self.reason}"


class OutboxMessage(models.Model):
    """One approved draft on its way out: sent at most once, whatever happens to the process."""

    class SendState(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"  # handed to the job; if the process dies here the outcome is unknown
        SENT = "sent"
        FAILED = "failed"  # certainly not sent; the follow-up stays on the agenda
        UNKNOWN = "unknown"  # may have been sent: never retried automatically

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="outbox")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    followup = models.ForeignKey(FollowUp, null=True, on_delete=models.SET_NULL, related_name="sends")
    person = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    to_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=SendState.choices, default=SendState.QUEUED)
    message_id = models.CharField(max_length=500, blank=True, default="")
    job_id = models.CharField(max_length=64, blank=True, default="")
    interaction = models.ForeignKey(Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True, default="")  # why it failed or why the outcome is unknown
    copy_error = models.TextField(blank=True, default="")  # sent, but filing our copy in Sent failed
    queued_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "state"]), models.Index(fields=["user", "queued_at"])]

    def __str__(self) -> str:
        return f"to {self.to_address} ({self.state})"


class UndoEntry(models.Model):
    """One of a user's one-click actions on a follow-up, kept so it can be undone for a while.

    Written by the services that act (done, snooze, skip, mark sent) in the same transaction;
    ``crm.services.undo`` puts the follow-up back as it was and removes the touch it logged.
    """

    class Action(models.TextChoices):
        DONE = "done"
        SNOOZED = "snoozed"
        SKIPPED = "skipped"
        SENT = "sent"  # "Mark sent": done, with the draft's wording on the touch

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="undo_entries")
    # Whose action; None for the CLI before any account exists.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="undo_entries")
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField()  # when the action was taken (the wall clock)
    # The follow-up as it was before the action.
    previous_state = models.CharField(max_length=12, choices=choices(State))
    previous_state_at = models.DateTimeField(null=True, blank=True)
    previous_snoozed_until = models.DateTimeField(null=True, blank=True)
    # The touch the action logged (done, mark sent): undoing removes it.
    interaction = models.ForeignKey(Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "user", "at"])]

    def __str__(self) -> str:
        return f"{self.action} of follow-up {self.followup_id} at {self.at:%Y-%m-%d %H:%M}"
