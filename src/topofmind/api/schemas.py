"""The shapes the API sends: the read model's JSON (``queries.serialize``) as pydantic schemas,
so the OpenAPI description says exactly what a client gets.

The answers are plain pydantic models (``Out``): they validate the read model's dicts directly,
without ninja's Schema, which reads every attribute through a Django-aware getter (a third of
an agenda answer's time). Request bodies stay ninja Schemas."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import BaseModel, Field

from topofmind.engine.types import Channel, Direction, Kind


class Ref(BaseModel):
    id: int
    name: str


class OpeningRef(BaseModel):
    id: int
    title: str


class Organization(BaseModel):
    id: int
    name: str
    website: str
    industry: str
    priority: int
    target: bool
    tags: list[str]
    feeds: list[str]
    notes: str
    created_at: str | None


class Person(BaseModel):
    id: int
    name: str
    organization: Ref | None
    title: str
    roles: list[str]
    emails: list[str]
    phones: list[str]
    linkedin_url: str
    linkedin_connected: bool
    prefers: str | None
    timezone: str | None
    how_met: str
    interests: list[str]
    notes: str
    cadence_days: int | None
    do_not_contact: bool
    dnc_reason: str | None
    dnc_at: str | None
    created_at: str | None


class Part(BaseModel):
    """A person's part in an opening: their roles in it (hiring manager, interviewer, ...)."""

    id: int
    name: str
    roles: list[str]


class Opening(BaseModel):
    id: int
    title: str
    organization: Ref | None
    stage: str
    decision_date: str | None
    posting_url: str
    source: str
    notes: str
    people: list[Part]
    stage_changed_at: str | None
    created_at: str | None


class Touch(BaseModel):
    id: int
    at: str | None
    kind: str
    direction: str
    channel: str | None
    people: list[Ref | None]
    opportunity: OpeningRef | None
    summary: str
    points: str
    notes: str
    permission_materials: bool
    ooo_until: str | None


class FollowUp(BaseModel):
    id: int
    purpose: str
    rule: str
    state: str
    channel: str
    due: str | None
    why: str


class Draft(BaseModel):
    subject: str
    body: str


class CarriedValue(BaseModel):
    """The item a follow-up carries (R10): an article, news, an achievement or a material."""

    id: int
    kind: str
    title: str
    url: str | None


class DraftCheck(BaseModel):
    """One finding of the draft checker, pointing at its sentence."""

    kind: str
    sentence: str
    message: str


class AgendaItem(BaseModel):
    id: int
    key: str
    purpose: str
    rule: str
    person: Ref | None
    organization: Ref | None
    opportunity: OpeningRef | None
    channel: str
    due: str | None
    due_day: str
    priority: int
    why: str
    expects_answer: bool
    call_window: str | None
    state: str
    draft: Draft
    value: CarriedValue | None
    value_note: str | None
    checks: list[DraftCheck]


class Agenda(BaseModel):
    at: str
    items: list[AgendaItem]


class PageInfo(BaseModel):
    page: int
    per_page: int
    pages: int
    count: int


class PeoplePage(PageInfo):
    items: list[Person]


class OrganizationsPage(PageInfo):
    items: list[Organization]


class OpeningsPage(PageInfo):
    items: list[Opening]


class TouchesPage(PageInfo):
    items: list[Touch]


class FollowUpsPage(PageInfo):
    items: list[FollowUp]


class NewTouch(Schema):
    """A touch to log. ``people`` are names as typed or ``#id``; ``at`` defaults to now."""

    people: list[str] = Field(min_length=1, max_length=50)
    kind: Kind
    at: datetime | None = None
    channel: Channel | None = None
    direction: Direction | None = None
    opportunity_id: int | None = None
    summary: str = Field("", max_length=10_000)
    points: str = Field("", max_length=10_000)
    notes: str = Field("", max_length=10_000)
    permission_materials: bool = False
    create_missing: bool = False


class TouchChanges(Schema):
    """What to change in a touch; a field left out stays as it is."""

    people: list[int] | None = Field(None, min_length=1, max_length=50)
    kind: Kind | None = None
    at: datetime | None = None
    channel: Channel | None = None
    direction: Direction | None = None
    opportunity_id: int | None = None
    summary: str | None = Field(None, max_length=10_000)
    points: str | None = Field(None, max_length=10_000)
    notes: str | None = Field(None, max_length=10_000)
    permission_materials: bool | None = None


class Snooze(Schema):
    until: datetime


class Done(Schema):
    at: datetime | None = None


class ImportProblem(BaseModel):
    line: int
    reason: str
    skipped: bool


class ImportMerge(BaseModel):
    line: int
    what: str


class ImportReport(BaseModel):
    kind: str
    layout: str
    encoding: str
    dry_run: bool
    new: int
    merged: int
    unchanged: int
    skipped: int
    invalid: int
    organizations_created: int
    people_created: int
    interactions_logged: int
    followups_planned: int
    mapping: dict[str, str]
    notes: list[str]
    problems: list[ImportProblem]
    problems_not_listed: int
    merges: list[ImportMerge]
    remarks: list[ImportMerge]  # rows imported with something to know (line, what)


class MaterialFile(BaseModel):
    name: str
    content_type: str
    size: int


class ValueItem(BaseModel):
    """An item of the value library: an article, company news, an achievement or a material."""

    id: int
    kind: str
    title: str
    url: str | None
    summary: str
    tags: list[str]
    organization: Ref | None
    happened_on: str | None
    file: MaterialFile | None
    shared_with: int | None
    created_at: str | None


class ValueItemsPage(PageInfo):
    items: list[ValueItem]


class AddedArticle(ValueItem):
    fetch_note: str = Field(description='Why the page was not read ("" when it was).')


class NewArticle(Schema):
    """An article by its address; title and summary are read from the page unless given."""

    url: str = Field(min_length=1, max_length=1000)
    title: str = Field("", max_length=300)
    summary: str = Field("", max_length=2000)
    tags: list[str] = Field(default_factory=list, max_length=50)


class ValueChanges(Schema):
    """An item's new tags (they replace the old ones)."""

    tags: list[str] = Field(max_length=50)


class NewAchievement(Schema):
    """An achievement; ``date`` defaults to today."""

    title: str = Field(min_length=1, max_length=300)
    date: str | None = Field(None, description="YYYY-MM-DD", max_length=10)
    tags: list[str] = Field(default_factory=list, max_length=50)


class NewsFeed(BaseModel):
    id: int
    organization: Ref | None
    url: str
    ok: bool
    status: str
    last_fetch_at: str | None
    last_ok_at: str | None


class NewNewsFeed(Schema):
    organization_id: int
    url: str = Field(min_length=1, max_length=1000)


class FeedOutcome(BaseModel):
    feed_id: int
    organization: str
    url: str
    ok: bool
    status: str
    entries: int
    new: int


class SearchHit(BaseModel):
    id: int
    title: str = Field(description="A name, an opening's title, or a touch's kind and first person.")
    detail: str = Field(description="A title and employer, an industry, an employer and stage, or a touch's words.")
    at: datetime | None = Field(None, description="A touch's moment (touches only).")
    person_id: int | None = Field(None, description="A touch's first person (touches only).")


class SearchKind(BaseModel):
    more: bool = Field(description="More rows hold the words than the ones listed.")
    results: list[SearchHit]


class SearchResults(BaseModel):
    q: str
    people: SearchKind
    organizations: SearchKind
    openings: SearchKind
    touches: SearchKind
