"""The writer: what each record means for the workspace (dedupe, merge) and writing it in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from rapidfuzz import fuzz, process

from topofmind.crm.models import (
    Interaction,
    InteractionParticipant,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
    StageChange,
    Workspace,
)
from topofmind.crm.planning.snapshot import settings_of
from topofmind.crm.services.imports.bulk import insert_rows
from topofmind.crm.services.imports.keys import NAME_CUTOFF, ORG_CUTOFF, Similar, name_key, org_key
from topofmind.crm.services.imports.registry import Importer
from topofmind.crm.services.imports.report import MAX_LISTED, ImportReport, RowNote
from topofmind.crm.validation import join_tags, split_tags
from topofmind.engine import plans_nothing_on_a_connection
from topofmind.engine.types import CLOSED_STAGES, PIPELINE, Channel, Direction, Kind, Role, Stage
from topofmind.integrations.normalize import canonical_linkedin_url, email_key, phone_key
from topofmind.integrations.records import ApplicationRecord, ContactRecord, RowProblem

CHUNK = 1000
_URL_CHECK = URLValidator(schemes=["http", "https"])
_EMAIL_CHECK = EmailValidator()


@dataclass(eq=False)
class _Org:
    """An organization of the workspace: stored (pk set) or to be created at the next flush."""

    name: str
    pk: int | None = None
    row: Organization | None = None


@dataclass(eq=False)
class _PersonData:
    """The columns of a person an import reads and writes (lighter than a model instance)."""

    name: str
    pk: int | None = None
    organization_id: int | None = None
    title: str = ""
    linkedin_url: str = ""
    linkedin_connected: bool = False
    how_met: str = ""
    interests: str = ""
    notes: str = ""


_PERSON_COLUMNS = tuple(f.name for f in fields(_PersonData) if f.name != "pk")
# The columns of _PersonData a merge may change, as Person fields.
_MERGED_FIELDS = ("organization", "title", "linkedin_url", "linkedin_connected", "how_met", "interests", "notes")


@dataclass(eq=False)
class _Target:
    """A person a record goes into: one already stored, or one this import creates."""

    person: _PersonData
    new: bool
    org: _Org | None
    emails: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (label, address)
    phones: dict[str, tuple[str, str]] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    connection_days: set[date] = field(default_factory=set)
    added_emails: list[tuple[str, str]] = field(default_factory=list)
    added_phones: list[tuple[str, str]] = field(default_factory=list)
    added_roles: list[str] = field(default_factory=list)
    connections: list[date] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    seen: bool = False  # a record of this import went into it already


_Ref = int | _Target  # the index points at a stored person's id, or at a target of this chunk


class Writer:
    def __init__(self, *, workspace: Workspace, now: datetime, report: ImportReport, importer: Importer) -> None:
        self.workspace = workspace
        self.now = now
        self.report = report
        self.importer = importer
        self.label = importer.label
        self.zone = ZoneInfo(settings_of(workspace).timezone or "UTC")
        self.orgs: dict[str, _Org] = {}
        self.by_email: dict[str, _Ref] = {}
        self.by_url: dict[str, _Ref] = {}
        self.by_name: dict[str, dict[str, _Ref]] = defaultdict(dict)  # org key ("" = none) -> name key
        self.similar_names: dict[str, Similar] = defaultdict(lambda: Similar(sort_words=True))
        self.similar_orgs = Similar(sort_words=False)
        self.url_of: dict[int, str] = {}  # stored person -> their canonical LinkedIn URL
        self.pending_orgs: list[_Org] = []
        # What this import wrote, for the re-plan at its end.
        self.touched_people: set[int] = set()
        self.touched_opportunities: set[int] = set()
        self.touched_employers: set[int] = set()
        # People this import created with nothing but connections and no role a rule reads
        # on a connection alone (engine.plans_nothing_on_a_connection): their plan is empty,
        # so the re-plan at the end leaves them out (R15's prospects are re-planned anyway).
        self.arrivals: set[int] = set()
        # Index entries pointing at targets of the current chunk, made plain ids at its flush.
        self._pending_keys: list[tuple[dict[str, _Ref], str]] = []
        self._load_index()

    # -- the index of what is stored --------------------------------------------------------

    def _load_index(self) -> None:
        for pk, name in Organization.objects.filter(workspace=self.workspace).values_list("pk", "name"):
            key = org_key(name)
            if key not in self.orgs:
                self.orgs[key] = _Org(name, pk)
        for key in self.orgs:
            self.similar_orgs.add(key)
        people = Person.objects.filter(workspace=self.workspace).values_list(
            "pk", "name", "organization__name", "linkedin_url"
        )
        for pk, name, org_name, url in people.iterator(chunk_size=5000):
            self._add_name(org_key(org_name) if org_name else "", name_key(name), pk)
            canonical = canonical_linkedin_url(url) if url else None
            if canonical:
                self.by_url.setdefault(canonical, pk)
                self.url_of[pk] = canonical
        emails = PersonEmail.objects.filter(person__workspace=self.workspace).values_list("address", "person_id")
        for address, pk in emails.iterator(chunk_size=5000):
            self.by_email.setdefault(email_key(address), pk)

    def _org(self, name: str) -> _Org | None:
        if not name:
            return None
        key = org_key(name)
        org = self.orgs.get(key)
        if org is None and len(key) >= 5:
            # A typo ("Acme Robotcs") is the same organization; another number is not.
            match = process.extractOne(
                key, self.similar_orgs.candidates(key), scorer=fuzz.ratio, score_cutoff=ORG_CUTOFF
            )
            if match:
                org = self.orgs[match[0]]
        if org is None:
            org = _Org(name)
            self.orgs[key] = org
            self.similar_orgs.add(key)
            self.pending_orgs.append(org)
        return org

    def _add_name(self, block_key: str, key: str, ref: _Ref) -> bool:
        """Index a person under a name in an organization's block; False if taken already."""
        block = self.by_name[block_key]
        if not key or key in block:
            return False
        block[key] = ref
        if block_key:  # no fuzzy matching without an organization (see _find)
            self.similar_names[block_key].add(key)
        return True

    def _org_key_of(self, org: _Org | None) -> str:
        return org_key(org.name) if org else ""

    def _find(self, record: ContactRecord, org: _Org | None) -> tuple[_Ref, str] | None:
        """The person this record is, and why we think so; None if nobody."""
        for _, address in record.emails:
            ref = self.by_email.get(email_key(address))
            if ref is not None:
                return ref, f"same e-mail {address}"
        if record.linkedin_url:
            ref = self.by_url.get(record.linkedin_url)
            if ref is not None:
                return ref, "same LinkedIn profile"
        block = self.by_name.get(self._org_key_of(org))
        key = name_key(record.name)
        if not block or not key:
            return None
        where = f" at {org.name}" if org else ""
        ref = block.get(key)
        if ref is not None and not self._other_profile(ref, record):
            return ref, "same name" + where
        if org is None:
            return None  # a similar name alone, with no organization to share, is too little
        similar = self.similar_names[self._org_key_of(org)].candidates(key)
        for candidate, _, _ in process.extract(
            key, similar, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_CUTOFF, limit=5
        ):
            ref = block[candidate]
            if not self._other_profile(ref, record):
                return ref, f"similar name ({candidate}){where}"
        return None

    def _other_profile(self, ref: _Ref, record: ContactRecord) -> bool:
        """Two LinkedIn profiles are two people, however alike their names."""
        if not record.linkedin_url:
            return False
        url = ref.person.linkedin_url if isinstance(ref, _Target) else self.url_of.get(ref, "")
        canonical = canonical_linkedin_url(url) if url else None
        return canonical is not None and canonical != record.linkedin_url

    def _register(self, ref: _Ref, record: ContactRecord, org: _Org | None) -> None:
        """Later rows find this person by what this row says about them."""
        keys: list[tuple[dict[str, _Ref], str]] = [(self.by_email, email_key(a)) for _, a in record.emails]
        if record.linkedin_url:
            keys.append((self.by_url, record.linkedin_url))
        block_key, key = self._org_key_of(org), name_key(record.name)
        if self._add_name(block_key, key, ref) and isinstance(ref, _Target):
            self._pending_keys.append((self.by_name[block_key], key))
        for index, key in keys:
            if key and key not in index:
                index[key] = ref
                if isinstance(ref, _Target):
                    self._pending_keys.append((index, key))

    # -- contacts ----------------------------------------------------------------------------

    def contacts(self, rows: Iterable[ContactRecord | ApplicationRecord | RowProblem]) -> None:
        chunk: list[tuple[ContactRecord, _Ref, str, _Org | None]] = []
        for row in rows:
            if isinstance(row, RowProblem):
                self.report.problem(row)
                continue
            assert isinstance(row, ContactRecord)
            item = self._take(row)
            if item is not None:
                chunk.append(item)
            if len(chunk) >= CHUNK:
                self._apply(chunk)
                chunk = []
        if chunk:
            self._apply(chunk)

    def _take(self, record: ContactRecord) -> tuple[ContactRecord, _Ref, str, _Org | None] | None:
        problem = _check_contact(record)
        if problem:
            self.report.problem(RowProblem(record.line, problem))
            return None
        for remark in record.remarks:
            if len(self.report.remarks) < MAX_LISTED:
                self.report.remarks.append(RowNote(record.line, remark))
        org = self._org(record.organization)
        found = self._find(record, org)
        if found is not None:
            self._register(found[0], record, org)
            return record, found[0], found[1], org
        # The URL now, so later rows of this chunk can tell two profiles apart.
        person = _PersonData(name=record.name, linkedin_url=record.linkedin_url)
        target = _Target(person=person, new=True, org=None)
        self._register(target, record, org)
        return record, target, "", org

    def _apply(self, chunk: list[tuple[ContactRecord, _Ref, str, _Org | None]]) -> None:
        loaded = self._load_targets({ref for _, ref, _, _ in chunk if isinstance(ref, int)})
        touched: list[_Target] = []
        for record, ref, why, org in chunk:
            target = loaded[ref] if isinstance(ref, int) else ref
            first_time = target.new and not target.seen
            changed = self._merge(target, record, org)
            target.seen = True
            if first_time:
                self.report.new += 1
            elif changed:
                self.report.merged += 1
                self._note_merge(record.line, record.name, target, why)
            else:
                self.report.unchanged += 1
            touched.append(target)
        self._flush(list(dict.fromkeys(touched)))

    def _note_merge(self, line: int, name: str, target: _Target, why: str) -> None:
        if len(self.report.merges) < MAX_LISTED:
            into = f"#{target.person.pk} {target.person.name}" if target.person.pk else target.person.name
            self.report.merges.append(RowNote(line, f"{name} → {into} ({why or 'earlier in this file'})"))

    def _load_targets(self, ids: set[int]) -> dict[int, _Target]:
        if not ids:
            return {}
        targets: dict[int, _Target] = {}
        columns = [f.name for f in fields(_PersonData)]
        people = Person.objects.filter(pk__in=ids, workspace=self.workspace).values_list(*columns, "organization__name")
        for *values, org_name in people:
            person = _PersonData(**dict(zip(columns, values, strict=True)))
            assert person.pk is not None
            targets[person.pk] = _Target(person=person, new=False, org=self._org(org_name) if org_name else None)
        for pk, label, address in PersonEmail.objects.filter(person_id__in=ids).values_list(
            "person_id", "label", "address"
        ):
            targets[pk].emails.setdefault(email_key(address), (label, address))
        for pk, label, number in PersonPhone.objects.filter(person_id__in=ids).values_list(
            "person_id", "label", "number"
        ):
            targets[pk].phones.setdefault(phone_key(number), (label, number))
        for pk, role in PersonRole.objects.filter(person_id__in=ids).values_list("person_id", "role"):
            targets[pk].roles.add(role)
        connections = InteractionParticipant.objects.filter(
            person_id__in=ids, interaction__kind=Kind.CONNECTION.value
        ).values_list("person_id", "interaction__at")
        for pk, at in connections:
            targets[pk].connection_days.add(at.astimezone(self.zone).date())
        return targets

    def _merge(self, target: _Target, record: ContactRecord, org: _Org | None) -> bool:
        """Put what the record knows into the person; True if anything was added."""
        person = target.person
        before = len(target.changed) + len(target.added_emails) + len(target.added_phones)
        before += len(target.connections) + len(target.added_roles)
        label = self.label

        def fill(attr: str, value: str) -> bool:
            if value and not getattr(person, attr):
                setattr(person, attr, value)
                target.changed.add(attr)
                return True
            return False

        def note(line: str) -> None:
            if line and line not in person.notes:
                person.notes = f"{person.notes}\n{line}".strip() if person.notes else line
                target.changed.add("notes")

        if target.new and not target.seen:
            person.name = record.name
        elif name_key(record.name) != name_key(person.name) and record.name not in person.notes:
            note(f"Also known as {record.name} ({label})")

        if org is not None:
            if target.org is None:
                target.org = org
                target.changed.add("organization")
            elif target.org is not org:
                job = f"{record.title} at {org.name}" if record.title else org.name
                note(f"{label}: {job}")
        same_job = org is None or target.org is org
        if not fill("title", record.title) and record.title not in ("", person.title) and same_job:
            note(f"{label}: {record.title}")
        if (
            record.linkedin_url
            and not fill("linkedin_url", record.linkedin_url)
            and canonical_linkedin_url(person.linkedin_url) != record.linkedin_url
        ):
            note(f"{label}: LinkedIn {record.linkedin_url}")
        for email_label, address in record.emails:
            key = email_key(address)
            if key not in target.emails:
                target.emails[key] = (email_label[:50], address)
                target.added_emails.append((email_label[:50], address))
        for phone_label, number in record.phones:
            key = phone_key(number)
            if key and key not in target.phones:
                target.phones[key] = (phone_label[:50], number)
                target.added_phones.append((phone_label[:50], number))
        if record.tags:
            current = split_tags(person.interests)
            known = {t.casefold() for t in current}
            extra = [t.replace(",", " ") for t in record.tags if t.casefold() not in known]
            if extra:
                person.interests = join_tags([*current, *extra])  # lower-case, as the library matches
                target.changed.add("interests")
        if record.department:
            note(f"Department: {record.department}")
        for site in record.websites:
            note(f"Website: {site}")
        if record.birthday:
            note(f"Birthday: {record.birthday.isoformat()}")
        if record.notes:
            note(record.notes)
        if self.importer.connections:
            if not person.linkedin_connected:
                person.linkedin_connected = True
                target.changed.add("linkedin_connected")
            fill("how_met", "LinkedIn connection")
            if record.connected_on and record.connected_on not in target.connection_days:
                target.connection_days.add(record.connected_on)
                target.connections.append(record.connected_on)
        after = len(target.changed) + len(target.added_emails) + len(target.added_phones)
        return after + len(target.connections) + len(target.added_roles) > before

    # -- writing a batch ----------------------------------------------------------------------

    def _flush_orgs(self) -> None:
        if not self.pending_orgs:
            return
        rows = [
            Organization(workspace=self.workspace, name=o.name, created_at=self.now, updated_at=self.now)
            for o in self.pending_orgs
        ]
        Organization.objects.bulk_create(rows, batch_size=500)
        for org, row in zip(self.pending_orgs, rows, strict=True):
            org.pk, org.row = row.pk, row
        self.report.organizations_created += len(rows)
        self.pending_orgs = []

    def _flush(self, targets: list[_Target]) -> None:
        self._flush_orgs()
        new = [t for t in targets if t.new and t.person.pk is None]
        for t in targets:
            if t.org is not None and ("organization" in t.changed or t.new):
                t.person.organization_id = t.org.pk
        ids = insert_rows(
            Person,
            [
                {
                    "workspace_id": self.workspace.pk,
                    **{name: getattr(t.person, name) for name in _PERSON_COLUMNS},
                    "created_at": self.now,
                    "updated_at": self.now,
                }
                for t in new
            ],
            returning=True,
        )
        for t, pk in zip(new, ids, strict=True):
            t.person.pk = pk
        if self.importer.records == "applications":
            self.report.people_created += len(new)
        changed = [t for t in targets if not t.new and t.changed]
        for t in targets:
            if t.new or t.changed or t.added_emails or t.added_phones or t.added_roles or t.connections:
                assert t.person.pk is not None
                self.touched_people.add(t.person.pk)
                if (
                    t.new
                    and self.importer.records != "applications"
                    and plans_nothing_on_a_connection(Role(r) for r in t.roles)
                ):
                    self.arrivals.add(t.person.pk)
                else:  # touched again later in the file, or part of an application: re-planned
                    self.arrivals.discard(t.person.pk)
                if t.person.organization_id is not None:
                    self.touched_employers.add(t.person.organization_id)
        if changed:
            rows = [
                Person(
                    pk=t.person.pk,
                    updated_at=self.now,
                    **{f: getattr(t.person, f) for f in _MERGED_FIELDS if f != "organization"},
                    organization_id=t.person.organization_id,
                )
                for t in changed
            ]
            columns = sorted({f for t in changed for f in t.changed})
            Person.objects.bulk_update(rows, [*columns, "updated_at"], batch_size=500)
        insert_rows(
            PersonEmail,
            [
                {"person_id": t.person.pk, "label": label, "address": address}
                for t in targets
                for label, address in t.added_emails
            ],
        )
        insert_rows(
            PersonPhone,
            [{"person_id": t.person.pk, "label": label, "number": n} for t in targets for label, n in t.added_phones],
        )
        insert_rows(PersonRole, [{"person_id": t.person.pk, "role": r} for t in targets for r in t.added_roles])
        touches = [(t, day) for t in targets for day in t.connections]
        if touches:
            touch_ids = insert_rows(
                Interaction,
                [
                    {
                        "workspace_id": self.workspace.pk,
                        "at": datetime.combine(day, time(12), tzinfo=self.zone).astimezone(UTC),
                        "kind": Kind.CONNECTION.value,
                        "channel": Channel.LINKEDIN.value,
                        "direction": Direction.BOTH.value,
                        "summary": "Connected on LinkedIn",
                        "created_at": self.now,
                    }
                    for _, day in touches
                ],
                returning=True,
            )
            insert_rows(
                InteractionParticipant,
                [
                    {"interaction_id": pk, "person_id": t.person.pk}
                    for (t, _), pk in zip(touches, touch_ids, strict=True)
                ],
            )
            self.report.interactions_logged += len(touch_ids)
        # The stored people are plain ids again in the index: the next chunk loads them afresh.
        for index, key in self._pending_keys:
            ref = index[key]
            if isinstance(ref, _Target) and ref.person.pk is not None:
                index[key] = ref.person.pk
        self._pending_keys = []
        for t in targets:  # a URL this import wrote is canonical (it came from a record)
            if t.person.pk is not None and t.person.linkedin_url and (t.new or "linkedin_url" in t.changed):
                self.url_of[t.person.pk] = t.person.linkedin_url

    # -- applications ---------------------------------------------------------------------------

    def applications(self, rows: Iterable[ContactRecord | ApplicationRecord | RowProblem]) -> None:
        opps: dict[tuple[int, str], Opportunity] = {}
        for opp in Opportunity.objects.filter(workspace=self.workspace):
            opps.setdefault((opp.organization_id, name_key(opp.title)), opp)
        applied: set[tuple[int, date]] = set()
        for opp_id, at in Interaction.objects.filter(
            workspace=self.workspace, kind=Kind.APPLICATION.value, opportunity__isnull=False
        ).values_list("opportunity_id", "at"):
            applied.add((opp_id, at.astimezone(self.zone).date()))
        for row in rows:
            if isinstance(row, RowProblem):
                self.report.problem(row)
                continue
            assert isinstance(row, ApplicationRecord)
            problem = _check_application(row)
            if problem:
                self.report.problem(RowProblem(row.line, problem))
                continue
            org = self._org(row.company)
            assert org is not None
            self._flush_orgs()
            assert org.pk is not None
            contact = self._contact(row) if row.contact_name or row.contact_email else None
            key = (org.pk, name_key(row.title))
            found = opps.get(key)
            created = found is None
            if found is None:
                opp = opps[key] = self._new_opportunity(row, org.pk)
                changed = True
            else:
                opp = found
                changed = self._merge_opportunity(opp, row)
            if contact is not None:
                changed |= _join(opp, contact, row.contact_role)
            if row.applied_on and (opp.pk, row.applied_on) not in applied:
                applied.add((opp.pk, row.applied_on))
                self._log_application(opp, row, contact)
                changed = True
            if changed:
                self.touched_opportunities.add(opp.pk)
                self.touched_employers.add(org.pk)
            if created:
                self.report.new += 1
            elif changed:
                self.report.merged += 1
                if len(self.report.merges) < MAX_LISTED:
                    self.report.merges.append(
                        RowNote(row.line, f"{row.title} at {row.company} → opportunity #{opp.pk}")
                    )
            else:
                self.report.unchanged += 1

    def _log_application(self, opp: Opportunity, row: ApplicationRecord, contact: int | None) -> None:
        assert row.applied_on is not None
        touch = Interaction.objects.create(
            workspace=self.workspace,
            at=datetime.combine(row.applied_on, time(12), tzinfo=self.zone).astimezone(UTC),
            kind=Kind.APPLICATION.value,
            direction=Direction.OUT.value,
            opportunity=opp,
            summary=f"Applied: {row.title} at {row.company}",
            created_at=self.now,
        )
        if contact is not None:
            InteractionParticipant.objects.create(interaction=touch, person_id=contact)
        self.report.interactions_logged += 1

    def _contact(self, row: ApplicationRecord) -> int:
        """The contact person of an application (found or created); their id."""
        record = ContactRecord(
            line=row.line,
            source="applications",
            name=row.contact_name or row.contact_email,
            emails=(("", row.contact_email),) if row.contact_email else (),
            organization=row.company,
        )
        item = self._take(record)
        assert item is not None  # checked with the application
        record, ref, _, org = item
        loaded = self._load_targets({ref} if isinstance(ref, int) else set())
        target = loaded[ref] if isinstance(ref, int) else ref
        if row.contact_role and row.contact_role not in target.roles:
            target.roles.add(row.contact_role)
            target.added_roles.append(row.contact_role)
        self._merge(target, record, org)
        target.seen = True
        self._flush([target])
        assert target.person.pk is not None
        return target.person.pk

    def _new_opportunity(self, row: ApplicationRecord, org_id: int) -> Opportunity:
        at = self.now
        if row.applied_on:
            at = datetime.combine(row.applied_on, time(12), tzinfo=self.zone).astimezone(UTC)
        opp = Opportunity.objects.create(
            workspace=self.workspace,
            organization_id=org_id,
            title=row.title,
            posting_url=_web_address(row.url),
            source="applications import",
            stage=row.stage,
            stage_changed_at=at,
            notes=_application_notes(row, ""),
            created_at=self.now,
            updated_at=self.now,
        )
        StageChange.objects.create(opportunity=opp, from_stage="", to_stage=row.stage, at=at)
        return opp

    def _merge_opportunity(self, opp: Opportunity, row: ApplicationRecord) -> bool:
        changed: list[str] = []
        url = _web_address(row.url)
        if url and not opp.posting_url:
            opp.posting_url = url
            changed.append("posting_url")
        notes = _application_notes(row, opp.notes)
        if notes != opp.notes:
            opp.notes = notes
            changed.append("notes")
        if _moves_forward(Stage(opp.stage), Stage(row.stage)):
            StageChange.objects.create(opportunity=opp, from_stage=opp.stage, to_stage=row.stage, at=self.now)
            opp.stage, opp.stage_changed_at = row.stage, self.now
            changed += ["stage", "stage_changed_at"]
        if changed:
            opp.updated_at = self.now
            opp.save(update_fields=[*changed, "updated_at"])
        return bool(changed)


# -- checks and small helpers ------------------------------------------------------------------


def _too_long(field_name: str, value: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"{field_name}: '{value[:40]}…' is {len(value)} characters long; at most {limit} fit"
    return None


def _first_too_long(checks: Iterable[tuple[str, str, int]]) -> str | None:
    """The problem with the first ``(field name, value, limit)`` whose value does not fit."""
    for field_name, value, limit in checks:
        problem = _too_long(field_name, value, limit)
        if problem:
            return problem
    return None


def _check_contact(record: ContactRecord) -> str | None:
    problem = _first_too_long(
        (
            ("name", record.name, 200),
            ("title", record.title, 200),
            ("company", record.organization, 200),
            ("LinkedIn URL", record.linkedin_url, 500),
        )
    )
    if problem:
        return problem
    for _, address in record.emails:
        problem = _too_long("e-mail", address, 320)
        if problem:
            return problem
        try:
            _EMAIL_CHECK(address)
        except ValidationError:
            return f"e-mail: '{address}' is not an e-mail address"
    problem = _first_too_long(("phone", number, 100) for _, number in record.phones)
    if problem:
        return problem
    # record.linkedin_url is canonical (https://www.linkedin.com/in/<percent-encoded slug>): valid.
    return None


def _check_application(row: ApplicationRecord) -> str | None:
    problem = _first_too_long(
        (
            ("company", row.company, 200),
            ("title", row.title, 300),
            ("contact", row.contact_name, 200),
            ("url", row.url, 1000),
        )
    )
    if problem:
        return problem
    if row.url:
        try:
            _URL_CHECK(_web_address(row.url))
        except ValidationError:
            return f"url: '{row.url}' is not a web address"
    if row.contact_email:
        try:
            _EMAIL_CHECK(row.contact_email)
        except ValidationError:
            return f"contact e-mail: '{row.contact_email}' is not an e-mail address"
    return None


def _web_address(url: str) -> str:
    if url and "://" not in url:
        return "https://" + url
    return url


def _application_notes(row: ApplicationRecord, notes: str) -> str:
    lines = [row.notes] if row.notes else []
    if row.location:
        lines.append(f"Location: {row.location}")
    if row.stage_as_given and row.stage_as_given.casefold() != row.stage.replace("_", " "):
        lines.append(f"Status in the other tracker: {row.stage_as_given}")
    lines += [f"{column}: {value}" for column, value in row.extra]
    for line in lines:
        if line not in notes:
            notes = f"{notes}\n{line}".strip() if notes else line
    return notes


def _join(opp: Opportunity, person_id: int, role: str) -> bool:
    """Make the contact a participant of the opening; True if that is news."""
    parts = set(
        OpportunityParticipant.objects.filter(opportunity=opp, person_id=person_id).values_list("role", flat=True)
    )
    if role and role not in parts:
        OpportunityParticipant.objects.filter(opportunity=opp, person_id=person_id, role="").delete()
        OpportunityParticipant.objects.create(opportunity=opp, person_id=person_id, role=role)
        return True
    if not role and not parts:
        OpportunityParticipant.objects.create(opportunity=opp, person_id=person_id, role="")
        return True
    return False


def _moves_forward(current: Stage, incoming: Stage) -> bool:
    """A stage from the file replaces ours only further along; a closed one is never reopened."""
    if current in CLOSED_STAGES or current == incoming:
        return False
    if incoming in CLOSED_STAGES:
        return True
    return PIPELINE.index(incoming) > PIPELINE.index(current)
