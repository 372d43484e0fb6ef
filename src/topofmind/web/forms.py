"""The web forms: labels, help text and first-pass checks. The services check the rest.

Forms only turn what was typed into values; names become rows in the views (through
``crm.queries.lookup``, confined to the workspace), and every write goes through a service.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

import holidays
from django import forms

from topofmind.crm.validation import LIMITS
from topofmind.engine.labels import CHANNEL_LABELS, ROLE_LABELS, kind_label, stage_label
from topofmind.engine.types import CONVERSATIONS, Channel, Direction, Kind, Role, Stage
from topofmind.playbooks import PLAYBOOKS

# The kinds a person logs by hand, commonest first; the rest come from imports and e-mail.
COMMON_KINDS: tuple[Kind, ...] = (
    Kind.MESSAGE,
    Kind.INTERVIEW,
    Kind.APPLICATION,
    Kind.REPLY,
    Kind.CALL,
    Kind.THANK_YOU,
    Kind.NUDGE,
    Kind.STATUS_INQUIRY,
    Kind.VALUE_SHARE,
    Kind.CHECK_IN,
    Kind.REFERRAL_ASK,
    Kind.LINKEDIN_INVITE,
    Kind.ACHIEVEMENT_UPDATE,
    Kind.REJECTION,
    Kind.OFFER,
    Kind.INTAKE_CALL,
    Kind.SUBMISSION,
    Kind.FEEDBACK_REQUEST,
    Kind.INTAKE_FOLLOW_UP,
    Kind.RECRUITER_UPDATE,
    Kind.CANDIDATE_UPDATE,
    Kind.KEEP_WARM,
    Kind.AUTO_REPLY,
    Kind.OUT_OF_OFFICE,
    Kind.BOUNCE,
    Kind.CONNECTION,
)
KIND_CHOICES = [(k.value, kind_label(k.value)) for k in COMMON_KINDS]
CHANNEL_CHOICES = [("", "Not recorded")] + [(c.value, CHANNEL_LABELS[c.value]) for c in Channel]
PREFERS_CHOICES = [("", "No preference")] + [(c.value, CHANNEL_LABELS[c.value]) for c in Channel]
DIRECTION_CHOICES = [
    ("", "The usual for this kind"),
    (Direction.OUT.value, "I sent it"),
    (Direction.IN.value, "They sent it"),
    (Direction.BOTH.value, "We spoke (both ways)"),
]
ROLE_CHOICES = [(r.value, ROLE_LABELS[r.value]) for r in Role]
STAGE_CHOICES = [(s.value, stage_label(s.value)) for s in Stage]
CONVERSATION_KINDS = frozenset(k.value for k in CONVERSATIONS)


def timezone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(available_timezones()) if "/" in z or z == "UTC"]


def country_choices() -> list[tuple[str, str]]:
    """Every country the holidays package knows, by name (from its registry's module names)."""
    from holidays.registry import COUNTRIES

    supported = set(holidays.list_supported_countries())
    named = sorted(
        (module.replace("_", " ").title(), entry[1]) for module, entry in COUNTRIES.items() if entry[1] in supported
    )
    return [("", "None (weekends only)")] + [(code, f"{name} ({code})") for name, code in named]


# What a "When" field takes: the browser's datetime-local value, or a date and time typed by hand.
DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]


class Form(forms.Form):
    """Labels without Django's trailing colon: "Name", not "Name:" (screen readers read it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def offer(self, name: str, choices: list[tuple[Any, str]]) -> forms.ChoiceField:
        """Give a choice field the choices known only when the form is made (the user's rows, zones)."""
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        return field


class OrganizationForm(Form):
    name = forms.CharField(label="Name", max_length=200)
    website = forms.CharField(label="Website", required=False, max_length=500, help_text="e.g. example.com")
    industry = forms.CharField(label="Industry", required=False, max_length=200)
    target = forms.BooleanField(
        label="On my target list",
        required=False,
        initial=True,
        help_text="Targets you have not contacted yet are suggested, a few a day, as the plan says.",
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        choices=[(1, "1 — top choice"), (2, "2"), (3, "3 — normal"), (4, "4"), (5, "5 — long shot")],
        coerce=int,
        initial=3,
    )
    tags = forms.CharField(label="Tags", required=False, help_text="Comma-separated, e.g. fintech, remote")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PersonForm(Form):
    name = forms.CharField(label="Name", max_length=200)
    organization = forms.CharField(
        label="Organization",
        required=False,
        max_length=200,
        help_text="Where they work. A new name adds the organization.",
        widget=forms.TextInput(attrs={"list": "organization-names", "autocomplete": "off"}),
    )
    title = forms.CharField(label="Job title", required=False, max_length=200)
    roles = forms.MultipleChoiceField(
        label="Their part in your search", choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    emails = forms.CharField(label="E-mail addresses", required=False, help_text="Separate several with commas.")
    phones = forms.CharField(label="Phone numbers", required=False, help_text="Separate several with commas.")
    linkedin_url = forms.CharField(label="LinkedIn profile", required=False, max_length=500)
    linkedin_connected = forms.BooleanField(label="Already connected on LinkedIn", required=False)
    prefers = forms.ChoiceField(label="Prefers to hear from you by", choices=PREFERS_CHOICES, required=False)
    timezone = forms.ChoiceField(label="Their time zone", required=False, help_text="Blank means yours.")
    cadence_days = forms.IntegerField(
        label="Keep in touch every (days)",
        required=False,
        min_value=LIMITS["cadence_days"][0],
        max_value=LIMITS["cadence_days"][1],
        help_text="Blank uses the playbook's number.",
    )
    how_met = forms.CharField(label="How we met", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    interests = forms.CharField(
        label="Interests", required=False, help_text="Comma-separated; used to pick articles worth sharing."
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer("timezone", [("", "Same as mine"), *timezone_choices()])


class OpportunityForm(Form):
    title = forms.CharField(label="Job title of the opening", max_length=300)
    organization = forms.TypedChoiceField(
        label="Organization", coerce=int, help_text="Add the employer first if it is not listed."
    )
    stage = forms.ChoiceField(label="Stage", choices=STAGE_CHOICES, initial=Stage.PROSPECT.value)
    decision_date = forms.DateField(
        label="Decision date",
        required=False,
        help_text="If they told you when they will decide.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    posting_url = forms.CharField(label="Posting address (URL)", required=False, max_length=1000)
    source = forms.CharField(label="Where you found it", required=False, max_length=200)
    posting_text = forms.CharField(label="Posting text", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer("organization", [("", "Choose…"), *organizations])


class ParticipantForm(Form):
    person = forms.CharField(
        label="Person",
        max_length=200,
        widget=forms.TextInput(attrs={"list": "person-names", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Their part", choices=[("", "Not known yet"), *ROLE_CHOICES], required=False)


class StageForm(Form):
    stage = forms.ChoiceField(label="Move to", choices=STAGE_CHOICES)


class TouchForm(Form):
    """The full "log a touch" form (and the edit form)."""

    kind = forms.ChoiceField(label="What happened", choices=KIND_CHOICES)
    people = forms.CharField(
        label="With",
        max_length=1000,
        help_text="One name, or several separated by commas (e.g. everyone in an interview).",
        widget=forms.TextInput(attrs={"list": "person-names", "autocomplete": "off"}),
    )
    create_missing = forms.BooleanField(label="Add names I have not met yet as new people", required=False)
    at = forms.DateTimeField(
        label="When",
        required=False,
        help_text="Blank means now. Your time zone.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_INPUTS,
    )
    opportunity = forms.TypedChoiceField(label="About the opening", coerce=int, required=False, empty_value=None)
    channel = forms.ChoiceField(label="Channel", choices=CHANNEL_CHOICES, required=False)
    direction = forms.ChoiceField(label="Direction", choices=DIRECTION_CHOICES, required=False)
    summary = forms.CharField(label="Summary", required=False, max_length=2000)
    points = forms.CharField(
        label="Key points discussed",
        required=False,
        help_text="For interviews: what you talked about. Thank-you drafts recap these.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    permission_materials = forms.BooleanField(label="They said I may send more materials", required=False)
    # shown only after a date more than a year back or in the future was refused (views/touches.py)
    confirm_date = forms.BooleanField(label="Yes, this date is right: log it anyway", required=False)

    def __init__(self, *args: Any, opportunities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer("opportunity", [("", "None"), *opportunities])


class QuickTouchForm(Form):
    """The three-field form on every page: who, what kind, when (blank = now)."""

    people = forms.CharField(label="Who", max_length=1000)
    kind = forms.ChoiceField(label="What happened", choices=KIND_CHOICES)
    at = forms.DateTimeField(
        label="When",
        required=False,
        input_formats=DATETIME_INPUTS,
    )
    points = forms.CharField(label="Key points discussed", required=False)
    # "auto": the one open opening the people take part in, if exactly one; "": none; else an id
    opportunity = forms.CharField(label="About the opening", required=False, max_length=20)

    def clean_opportunity(self) -> str:
        value = str(self.cleaned_data.get("opportunity") or "").strip()
        if value not in ("", "auto") and not value.isdigit():
            raise forms.ValidationError("Choose an opening from the list.")
        return value


class DraftForm(Form):
    subject = forms.CharField(label="Subject", required=False, max_length=300)
    body = forms.CharField(label="Message", required=False, widget=forms.Textarea)


class SnoozeForm(Form):
    until = forms.DateField(label="Snooze until", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="Days", required=False, min_value=1, max_value=365)


class StopForm(Form):
    reason = forms.CharField(label="Why (for your records)", required=False, max_length=500)


class GeneralSettingsForm(Form):
    name = forms.CharField(label="Your name", required=False, max_length=200, help_text="Signs your drafts.")
    timezone = forms.ChoiceField(label="Your time zone")
    country = forms.ChoiceField(
        label="Holidays of",
        required=False,
        help_text="Due days that land on a public holiday move to the next business day.",
    )
    playbook = forms.ChoiceField(label="Playbook", choices=[(p, p.capitalize()) for p in PLAYBOOKS])
    daily_cap = forms.IntegerField(
        label="Most suggestions a day",
        required=False,
        min_value=LIMITS["daily_cap"][0],
        max_value=LIMITS["daily_cap"][1],
        help_text="Thank-yous and replies owed are always shown. Blank uses the playbook's number.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer("timezone", timezone_choices())
        self.offer("country", country_choices())


class PlanForm(Form):
    targets = forms.IntegerField(
        label="Employers on my target list",
        min_value=LIMITS["targets"][0],
        max_value=LIMITS["targets"][1],
        help_text="e.g. 50",
    )
    weeks = forms.IntegerField(
        label="Over how many weeks",
        min_value=LIMITS["weeks"][0],
        max_value=LIMITS["weeks"][1],
        help_text="e.g. 10 (= 5 new employers a week)",
    )
    calls_per_day = forms.IntegerField(
        label="Calls a day", min_value=LIMITS["calls_per_day"][0], max_value=LIMITS["calls_per_day"][1], initial=1
    )
    start = forms.DateField(
        label="Starting", required=False, help_text="Blank means today.", widget=forms.DateInput(attrs={"type": "date"})
    )


class WelcomeForm(Form):
    """The first-start questions: who signs the drafts, and whose days and holidays count."""

    name = forms.CharField(label="Your name", max_length=200, help_text="Signs your drafts.")
    timezone = forms.ChoiceField(label="Your time zone", help_text="Your day starts and ends in it.")
    country = forms.ChoiceField(
        label="Holidays of",
        required=False,
        help_text="Follow-ups that would fall on a public holiday move to the next business day.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer("timezone", timezone_choices()).widget.attrs["data-browser-zone"] = "1"
        self.offer("country", country_choices())


class InviteForm(Form):
    role = forms.ChoiceField(
        label="They join as",
        choices=[("member", "Member (works in this workspace)"), ("owner", "Owner (also invites and removes)")],
        initial="member",
    )


class WorkspaceForm(Form):
    name = forms.CharField(label="Name of the new workspace", max_length=200)


class JoinForm(Form):
    username = forms.CharField(label="Choose a username", max_length=150)
    password = forms.CharField(
        label="Choose a password", widget=forms.PasswordInput, help_text="At least 10 characters."
    )


SECURITY_CHOICES = [("tls", "TLS"), ("starttls", "STARTTLS"), ("none", "None (a local relay only)")]


class MailAccountForm(Form):
    """The mail account; the password field is never filled in from what is stored."""

    imap_host = forms.CharField(label="IMAP server", max_length=253, help_text="For example imap.fastmail.com.")
    imap_port = forms.IntegerField(label="IMAP port", min_value=1, max_value=65535, initial=993)
    imap_security = forms.ChoiceField(label="IMAP security", choices=SECURITY_CHOICES, initial="tls")
    smtp_host = forms.CharField(label="SMTP server", max_length=253, help_text="For example smtp.fastmail.com.")
    smtp_port = forms.IntegerField(label="SMTP port", min_value=1, max_value=65535, initial=465)
    smtp_security = forms.ChoiceField(label="SMTP security", choices=SECURITY_CHOICES, initial="tls")
    username = forms.CharField(label="Username", max_length=254, help_text="Usually your e-mail address.")
    password = forms.CharField(
        label="Password",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="An app password for Gmail, iCloud, Fastmail and Yahoo. Leave empty to keep the one saved.",
    )
    addresses = forms.CharField(
        label="Send from", max_length=1000, help_text="Your address; several separated by commas, the first is used."
    )
    from_name = forms.CharField(label="Your name", required=False, max_length=200)
    digest_hour = forms.IntegerField(
        label="Morning digest at (hour)",
        required=False,
        min_value=0,
        max_value=23,
        help_text="Each business day, today's agenda by e-mail to yourself. Empty: no digest.",
    )


class ArticleForm(Form):
    url = forms.CharField(label="Address", max_length=1000, help_text="The article's web address.")
    title = forms.CharField(
        label="Title", required=False, max_length=300, help_text="Leave empty to read it from the page."
    )
    summary = forms.CharField(
        label="Summary", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to read it from the page.",
    )  # fmt: skip
    tags = forms.CharField(
        label="Tags", required=False, max_length=500, help_text="Comma-separated, e.g. data, platforms"
    )


class AchievementForm(Form):
    title = forms.CharField(
        label="What you achieved", max_length=300, help_text="A certification, a course, a milestone."
    )
    date = forms.DateField(
        label="When", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Empty: today."
    )
    tags = forms.CharField(label="Tags", required=False, max_length=500)


class MaterialForm(Form):
    file = forms.FileField(label="File", help_text="A résumé version, a portfolio, a work sample.")
    title = forms.CharField(label="Title", max_length=300)
    tags = forms.CharField(label="Tags", required=False, max_length=500)


class FeedForm(Form):
    url = forms.CharField(
        label="Feed address", max_length=1000, help_text="An RSS or Atom feed, e.g. example.com/news.xml"
    )
