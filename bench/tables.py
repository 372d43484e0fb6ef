"""Bulk writes into the store's tables, below the ORM: ``COPY`` on PostgreSQL, one big
``executemany`` transaction on SQLite.

Column lists come from the models' metadata, so a column the core adds later (with a default)
is filled in without touching this file. Values are converted per column once: aware UTC
datetimes, dates, booleans and JSON as each backend stores them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

    from bench.generate import World

BATCH = 20_000


def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _json(value: Any) -> str:
    return json.dumps(value)


class TableWriter:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.vendor = connection.vendor
        self.counts: dict[str, int] = {}

    # -- ids ------------------------------------------------------------------------------
    def next_ids(self) -> dict[str, int]:
        """The first free id of every table this writer fills (ids are assigned up front)."""
        from topofmind.crm import models as m

        out = {}
        with self.connection.cursor() as cur:
            for name, model in self.models(m).items():
                cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
                out[name] = int(cur.fetchone()[0])
        return out

    @staticmethod
    def models(m: Any) -> dict[str, type[Model]]:
        return {
            "workspace": m.Workspace,
            "settings": m.WorkspaceSettings,
            "plan": m.Plan,
            "organization": m.Organization,
            "person": m.Person,
            "role": m.PersonRole,
            "email": m.PersonEmail,
            "phone": m.PersonPhone,
            "opportunity": m.Opportunity,
            "part": m.OpportunityParticipant,
            "stage_change": m.StageChange,
            "interaction": m.Interaction,
            "participant": m.InteractionParticipant,
        }

    # -- generic insert -------------------------------------------------------------------
    def insert(
        self, model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, now: datetime
    ) -> int:
        """Insert ``rows`` (values for ``columns``; every other column gets its default)."""
        from django.db import models as dm

        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.column not in columns)]
        names = [f.column for f in fields]
        unknown = set(columns) - set(names)
        if unknown:
            raise ValueError(f"{model.__name__} has no column(s) {sorted(unknown)}")
        position = {c: i for i, c in enumerate(columns)}
        template: list[Any] = []
        source: list[int | None] = []
        convert: list[Callable[[Any], Any] | None] = []
        sqlite = self.vendor == "sqlite"
        for f in fields:
            source.append(position.get(f.column))
            if f.column in position:
                default = None
            elif isinstance(f, dm.DateTimeField):
                default = now if f.has_default() or not f.null else None
            elif f.has_default():
                default = f.get_default()
            elif f.null:
                default = None
            else:
                raise ValueError(f"{model.__name__}.{f.column} needs a value (no default)")
            if isinstance(f, dm.JSONField):
                conv: Callable[[Any], Any] | None = _json
            elif sqlite and isinstance(f, dm.DateTimeField):
                conv = _sqlite_datetime
            elif sqlite and isinstance(f, dm.DateField):
                conv = _sqlite_date
            elif sqlite and isinstance(f, dm.BooleanField):
                conv = _sqlite_bool
            else:
                conv = None
            convert.append(conv)
            template.append(conv(default) if conv is not None and f.column not in position else default)
        plan = [(i, source[i], convert[i]) for i in range(len(fields)) if source[i] is not None]

        def full(row: Sequence[Any]) -> list[Any]:
            out = list(template)
            for i, src, conv in plan:
                value = row[src]  # type: ignore[index]
                out[i] = conv(value) if conv is not None else value
            return out

        table = model._meta.db_table
        quoted = ", ".join(self.connection.ops.quote_name(n) for n in names)
        count = 0
        raw = self.connection.connection
        if self.vendor == "postgresql":
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(full(row))
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})"
            batch: list[list[Any]] = []
            cur = raw.cursor()
            for row in rows:
                batch.append(full(row))
                if len(batch) >= BATCH:
                    cur.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                count += len(batch)
            cur.close()
        self.counts[table.removeprefix("crm_")] = self.counts.get(table.removeprefix("crm_"), 0) + count
        return count

    def reset_sequences(self, models: Iterable[type[Model]]) -> None:
        if self.vendor != "postgresql":
            return
        with self.connection.cursor() as cur:
            for model in models:
                table = model._meta.db_table
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )

    def analyze(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute("ANALYZE")

    # -- the world ------------------------------------------------------------------------
    def write(self, world: World) -> None:
        from topofmind.crm import models as m

        now = world.now
        if self.vendor == "sqlite":
            with self.connection.cursor() as cur:
                cur.execute("PRAGMA cache_size = -200000")
        ws = world.workspace_id
        self.insert(m.Workspace, ["id", "name", "created_at"], [(ws, f"bench {world.n_people}", world.start)], now=now)
        self.insert(
            m.WorkspaceSettings,
            ["workspace_id", "timezone", "country", "playbook", "user_name"],
            [(ws, "America/New_York", "US", world.playbook, "Alex Bench")],
            now=now,
        )
        if world.playbook == "jobseeker":
            self.insert(
                m.Plan,
                ["workspace_id", "targets", "weeks", "calls_per_day", "start"],
                [(ws, 50, 10, 1, (now - timedelta(days=14)).date())],
                now=now,
            )
        self.insert(
            m.Organization,
            ["id", "workspace_id", "name", "website", "industry", "priority", "target", "created_at", "updated_at"],
            (
                (o["id"], ws, o["name"], o["website"], o["industry"], o["priority"], o["target"], o["created_at"],
                 o["created_at"])
                for o in world.orgs
            ),
            now=now,
        )  # fmt: skip
        self.write_people(world)
        self.write_opportunities(world)
        self.insert(
            m.Interaction,
            ["id", "workspace_id", "at", "kind", "channel", "direction", "opportunity_id", "points", "ooo_until",
             "created_at"],
            ((i, ws, at, kind, ch, d, opp, pts, ooo, at) for i, at, kind, ch, d, opp, pts, ooo in world.interactions),
            now=now,
        )  # fmt: skip
        self.insert(
            m.InteractionParticipant,
            ["id", "interaction_id", "person_id"],
            ((world.base["participant"] + k, i, p) for k, (i, p) in enumerate(world.participants)),
            now=now,
        )
        self.reset_sequences(self.models(m).values())
        self.analyze()

    def write_people(self, world: World) -> None:
        from bench.generate import FIRST, LAST, TITLES, ZONES
        from topofmind.crm import models as m

        rng = world.rng
        now = world.now
        ws = world.workspace_id
        people, roles, emails, phones = [], [], [], []
        org_name = {o["id"]: o["name"] for o in world.orgs}
        for p in world.people:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {chr(65 + rng.randrange(26))}. {last}"
            created = world.start + (now - world.start) * rng.random() * 0.8
            domain = org_name[p.org].lower().replace(" ", "") + ".example" if p.org else "mail.example"
            people.append(
                (
                    p.id, ws, name, p.org, rng.choice(TITLES[p.roles[0]]),
                    f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{p.id}" if p.linkedin else "",
                    p.linkedin and rng.random() < 0.4,
                    rng.choice(("email", "phone", "linkedin")) if rng.random() < 0.08 else "",
                    rng.choice(ZONES) if rng.random() < 0.15 else "",
                    p.dnc, "asked not to be contacted" if p.dnc else "", created + (now - created) / 2 if p.dnc else None,
                    p.cadence, created, created,
                )
            )  # fmt: skip
            for r in p.roles:
                roles.append((p.id, r))
            for k in range(p.emails):
                emails.append(
                    (
                        p.id,
                        f"{first}.{last}{'.' + str(k) if k else ''}.{p.id}@{domain}".lower(),
                        "work" if k == 0 else "home",
                    )
                )
            if p.phone:
                phones.append((p.id, f"+1 555 {p.id % 1000:03d} {rng.randrange(10000):04d}", "mobile"))
        self.insert(
            m.Person,
            ["id", "workspace_id", "name", "organization_id", "title", "linkedin_url", "linkedin_connected", "prefers",
             "timezone", "do_not_contact", "dnc_reason", "dnc_at", "cadence_days", "created_at", "updated_at"],
            people,
            now=now,
        )  # fmt: skip
        self.insert(m.PersonRole, ["person_id", "role"], roles, now=now)
        self.insert(m.PersonEmail, ["person_id", "address", "label"], emails, now=now)
        self.insert(m.PersonPhone, ["person_id", "number", "label"], phones, now=now)

    def write_opportunities(self, world: World) -> None:
        from bench.generate import OPP_TITLES, PATH
        from topofmind.crm import models as m

        now = world.now
        ws = world.workspace_id
        rng = world.rng
        opps, parts, changes = [], [], []
        for o in world.opps:
            title = f"{rng.choice(OPP_TITLES)} #{o.id}"
            changed = o.changed or o.start
            opps.append(
                (o.id, ws, o.org, title, f"https://jobs.example/{o.id}", "synthetic", o.stage, o.decision, changed,
                 o.start, changed)
            )  # fmt: skip
            if o.hiring_manager:
                parts.append((o.id, o.hiring_manager, "hiring_manager"))
            for pid in o.interviewers:
                parts.append((o.id, pid, "interviewer"))
            if o.recruiter:
                parts.append((o.id, o.recruiter, "recruiter"))
            for pid in o.candidates:
                parts.append((o.id, pid, "candidate"))
            path = list(PATH[: PATH.index(o.stage) + 1]) if o.stage in PATH else [*PATH[:3], o.stage]
            previous = ""
            for k, stage in enumerate(path[1:] if len(path) > 1 else path):
                moment = o.start + (changed - o.start) * (k + 1) / len(path)
                changes.append((o.id, previous or path[0], stage, moment))
                previous = stage
        self.insert(
            m.Opportunity,
            ["id", "workspace_id", "organization_id", "title", "posting_url", "source", "stage", "decision_date",
             "stage_changed_at", "created_at", "updated_at"],
            opps,
            now=now,
        )  # fmt: skip
        self.insert(m.OpportunityParticipant, ["opportunity_id", "person_id", "role"], parts, now=now)
        self.insert(m.StageChange, ["opportunity_id", "from_stage", "to_stage", "at"], changes, now=now)
