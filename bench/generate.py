"""Synthetic workspaces shaped like real use, written straight into the store's tables.

``build_workspace(people=..., touches=..., database_url=..., seed=...)`` is the one entry point
the agenda, web and import benchmarks share. It migrates the database, writes one workspace
(organizations, people with e-mails / phones / roles, opportunities in every stage with their
participants and stage history, touches with their participants) in bulk - ``COPY`` on
PostgreSQL, ``executemany`` in one transaction on SQLite - and then stores the plan (the
FollowUp rows) the way the services keep it. The same arguments always give the same data.

The shape, whatever the size:

* about a quarter of the people were never contacted (an imported network); most others
  are quiet - their last touch sits inside their keep-warm cadence, so they come due
  spread over the weeks ahead; about one in six has lapsed (an overdue tail of 1-60 days);
* organizations follow a long tail (a few big employers, many small ones);
* opportunities in every stage; open ones have recent stories (applications, some still
  unanswered, interviews with panels and their thank-yous, status inquiries), closed ones
  end in a rejection, a withdrawal or a hold; the recruiter playbook adds intake calls,
  submissions, feedback requests and candidate updates;
* the user is diligent: inbound messages are answered and interviews thanked within a day,
  except a fixed handful of fresh ones on the morning of ``now`` - the owed replies and
  thank-yous at the top of the day's agenda.

``python -m bench.generate --people 10000 --touches 100000 --db URL`` builds one from a shell.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

# The moment every synthetic workspace is shaped around: Wed 12 Mar 2025, 10:00 in New York.
BENCH_NOW = datetime(2025, 3, 12, 14, 0, tzinfo=UTC)
TIMEZONE = "America/New_York"
COUNTRY = "US"
HISTORY_DAYS = 730
SECRET = "benchmark-secret-key-not-for-production-use-0123456789"

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class BuiltWorkspace:
    """What was built: where, which workspace, how much of each, and how long it took."""

    database_url: str
    workspace_id: int
    people: int
    touches: int
    seed: int
    playbook: str
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["now"] = self.now.isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuiltWorkspace:
        return cls(**{**data, "now": datetime.fromisoformat(data["now"])})


# -- Django, pointed at the right database ----------------------------------------------------


def django_env(database_url: str) -> dict[str, str]:
    """Environment variables that point a topofmind process at ``database_url``."""
    return {
        "TOPOFMIND_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "topofmind.settings",
        "TOPOFMIND_SECRET_KEY": os.environ.get("TOPOFMIND_SECRET_KEY", SECRET),
    }


def _configured_url() -> str | None:
    """The database this process's Django is set up on, or None before django.setup()."""
    from django.apps import apps

    if not apps.ready:
        return None
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return str(db["NAME"])
    return f"postgresql://{db.get('USER') or ''}@{db.get('HOST')}:{db.get('PORT') or 5432}/{db['NAME']}"


def _same_database(url: str, configured: str) -> bool:
    from urllib.parse import urlsplit

    if "://" not in url or "://" not in configured:
        return os.path.abspath(url) == os.path.abspath(configured)
    return urlsplit(url).path.lstrip("/") == urlsplit(configured).path.lstrip("/")


def setup_django(database_url: str | None) -> None:
    """Set Django up on ``database_url`` (None: whatever the environment says)."""
    import django

    if database_url is not None:
        for key, value in django_env(database_url).items():
            if key == "TOPOFMIND_DATABASE_URL" or key not in os.environ:
                os.environ[key] = value
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
    os.environ.setdefault("TOPOFMIND_SECRET_KEY", SECRET)
    django.setup()


def build_workspace(
    *,
    people: int,
    touches: int,
    database_url: str | None = None,
    seed: int = 0,
    playbook: str = "recruiter",
    now: datetime = BENCH_NOW,
    migrate: bool = True,
) -> BuiltWorkspace:
    """Build one synthetic workspace of ``people`` people and about ``touches`` touches.

    ``database_url`` (a PostgreSQL URL or a SQLite path) is created if missing and migrated;
    None means the database this process's Django already uses (or the environment's). If
    Django here is already set up on another database, the build runs in a child process.
    ``migrate=False`` skips migrating (tests: their database is migrated already).
    """
    if database_url is not None:
        from bench.databases import ensure_postgres, kind_of

        if kind_of(database_url) == "postgresql":
            ensure_postgres(database_url)
        else:
            os.makedirs(os.path.dirname(os.path.abspath(database_url)), exist_ok=True)
        configured = _configured_url()
        if configured is None:
            setup_django(database_url)
        elif not _same_database(database_url, configured):
            return _build_in_child(
                people=people, touches=touches, database_url=database_url, seed=seed, playbook=playbook, now=now
            )
    else:
        from django.apps import apps

        if not apps.ready:
            setup_django(None)
    from django.core.management import call_command

    started = time.perf_counter()
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    world = World(people=people, touches=touches, seed=seed, playbook=playbook, now=now)
    workspace_id, counts = world.write()
    written = time.perf_counter()
    planned = store_plan(workspace_id=workspace_id, now=now)
    done = time.perf_counter()
    counts["followups"] = planned
    return BuiltWorkspace(
        database_url=database_url or (_configured_url() or ""),
        workspace_id=workspace_id,
        people=people,
        touches=counts["interaction"],
        seed=seed,
        playbook=playbook,
        now=now,
        counts=counts,
        seconds={
            "migrate": round(migrated - started, 2),
            "write": round(written - migrated, 2),
            "plan": round(done - written, 2),
            "total": round(done - started, 2),
        },
    )


def _build_in_child(**kwargs: Any) -> BuiltWorkspace:
    args = [
        sys.executable, "-m", "bench.generate",
        "--people", str(kwargs["people"]), "--touches", str(kwargs["touches"]),
        "--db", kwargs["database_url"], "--seed", str(kwargs["seed"]),
        "--playbook", kwargs["playbook"], "--now", kwargs["now"].isoformat(), "--json",
    ]  # fmt: skip
    env = {**os.environ, **django_env(kwargs["database_url"])}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(args, env=env, cwd=root, check=True, capture_output=True, text=True)
    return BuiltWorkspace.from_json(json.loads(out.stdout.strip().splitlines()[-1]))


def store_plan(*, workspace_id: int, now: datetime) -> int:
    """Compute and store the plan (FollowUp rows) of a freshly written workspace."""
    from bench.plan import plan_fresh_workspace

    return plan_fresh_workspace(workspace_id=workspace_id, now=now)


# -- the synthetic world ------------------------------------------------------------------------

FIRST = [
    "Aaliyah",
    "Aaron",
    "Abigail",
    "Adam",
    "Adrian",
    "Aisha",
    "Alan",
    "Alejandro",
    "Alex",
    "Alice",
    "Amara",
    "Amir",
    "Ana",
    "Andre",
    "Andrea",
    "Angela",
    "Anil",
    "Anna",
    "Arjun",
    "Ava",
    "Ben",
    "Bianca",
    "Boris",
    "Brian",
    "Camila",
    "Carlos",
    "Carmen",
    "Chen",
    "Chloe",
    "Chris",
    "Claire",
    "Daniel",
    "Dana",
    "David",
    "Deepa",
    "Diego",
    "Dmitri",
    "Elena",
    "Eli",
    "Emma",
    "Eric",
    "Fatima",
    "Felix",
    "Fiona",
    "Gabriel",
    "Grace",
    "Hana",
    "Hannah",
    "Hugo",
    "Ian",
    "Ines",
    "Isaac",
    "Ivan",
    "Jack",
    "James",
    "Jana",
    "Javier",
    "Jin",
    "Joao",
    "Jonas",
    "Julia",
    "Kai",
    "Karen",
    "Kenji",
    "Kofi",
    "Laura",
    "Leila",
    "Leo",
    "Lina",
    "Lucas",
    "Luis",
    "Maya",
    "Mei",
    "Mia",
    "Miguel",
    "Nadia",
    "Naomi",
    "Nina",
    "Noah",
    "Olga",
    "Omar",
    "Priya",
    "Rafael",
    "Raj",
    "Rosa",
    "Sam",
    "Sara",
    "Sofia",
    "Tariq",
    "Tom",
    "Uma",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Abbott",
    "Adams",
    "Ahmed",
    "Alvarez",
    "Andersen",
    "Bauer",
    "Becker",
    "Bianchi",
    "Brown",
    "Campbell",
    "Chen",
    "Cohen",
    "Costa",
    "Das",
    "Davis",
    "Dubois",
    "Edwards",
    "Eriksson",
    "Evans",
    "Fischer",
    "Flores",
    "Garcia",
    "Gomez",
    "Gonzalez",
    "Gupta",
    "Hall",
    "Hansen",
    "Harris",
    "Hoffmann",
    "Huang",
    "Ito",
    "Jackson",
    "Jensen",
    "Johnson",
    "Kang",
    "Khan",
    "Kim",
    "King",
    "Kowalski",
    "Kumar",
    "Larsen",
    "Lee",
    "Lewis",
    "Lopez",
    "Martin",
    "Martinez",
    "Meyer",
    "Miller",
    "Moore",
    "Morales",
    "Muller",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Park",
    "Patel",
    "Perez",
    "Petrov",
    "Ramirez",
    "Reyes",
    "Richter",
    "Rossi",
    "Russo",
    "Sanchez",
    "Santos",
    "Sato",
    "Schmidt",
    "Schneider",
    "Shah",
    "Silva",
    "Singh",
    "Smith",
    "Sousa",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Thomas",
    "Torres",
    "Tran",
    "Wagner",
    "Walker",
    "Wang",
    "Weber",
    "White",
    "Williams",
    "Wilson",
    "Wong",
    "Wu",
    "Yamamoto",
    "Young",
    "Zhang",
]
ORG_A = [
    "Acme",
    "Apex",
    "Aurora",
    "Beacon",
    "Blue",
    "Bright",
    "Cedar",
    "Cobalt",
    "Crimson",
    "Delta",
    "Ember",
    "Evergreen",
    "Falcon",
    "Granite",
    "Harbor",
    "Helix",
    "Horizon",
    "Indigo",
    "Iron",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Meridian",
    "Nimbus",
    "North",
    "Nova",
    "Oak",
    "Onyx",
    "Orbit",
    "Pine",
    "Pioneer",
    "Prism",
    "Quantum",
    "Quartz",
    "Radiant",
    "Redwood",
    "River",
    "Sable",
    "Sierra",
    "Silver",
    "Solar",
    "Spruce",
    "Summit",
    "Terra",
    "Tidal",
    "Vertex",
    "Violet",
    "Willow",
    "Zenith",
]
ORG_B = [
    "Analytics",
    "Bank",
    "Bio",
    "Cloud",
    "Consulting",
    "Data",
    "Dynamics",
    "Energy",
    "Foods",
    "Games",
    "Health",
    "Insurance",
    "Labs",
    "Logistics",
    "Media",
    "Mobility",
    "Networks",
    "Pharma",
    "Retail",
    "Robotics",
    "Security",
    "Software",
    "Studios",
    "Systems",
    "Telecom",
    "Ventures",
]
INDUSTRIES = [
    "software",
    "finance",
    "health",
    "retail",
    "energy",
    "media",
    "logistics",
    "education",
    "manufacturing",
    "biotech",
]
TITLES = {
    "hiring_manager": ("Engineering Manager", "Director of Data", "Head of Product", "VP Engineering"),
    "interviewer": ("Senior Engineer", "Staff Engineer", "Data Scientist", "Product Designer"),
    "recruiter": ("Technical Recruiter", "Talent Partner", "Recruiting Lead"),
    "referrer": ("Principal Engineer", "Solutions Architect", "Analytics Lead"),
    "peer": ("Software Engineer", "Analyst", "Product Manager", "Consultant"),
    "candidate": ("Backend Engineer", "Data Engineer", "Frontend Developer", "ML Engineer", "SRE"),
}
OPP_TITLES = (
    "Senior Backend Engineer", "Data Engineer", "Staff Platform Engineer", "Engineering Manager",
    "ML Engineer", "Product Analyst", "Frontend Engineer", "Site Reliability Engineer", "Solutions Architect",
)  # fmt: skip
ZONES = ("Europe/London", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "America/Chicago")
POINTS = (
    "their migration to event sourcing; the on-call rotation; my Kafka work",
    "team of six; roadmap for the data platform; asked about my mentoring",
    "system design round on rate limiting; culture of written proposals",
    "the Q3 launch; how they measure impact; my open-source maintenance",
)
ROLE_MIX = {
    "recruiter": (
        ("candidate", 0.44), ("hiring_manager", 0.16), ("interviewer", 0.12), ("recruiter", 0.05),
        ("referrer", 0.08), ("peer", 0.15),
    ),
    "jobseeker": (
        ("hiring_manager", 0.2), ("interviewer", 0.2), ("recruiter", 0.1), ("referrer", 0.15), ("peer", 0.35),
    ),
}  # fmt: skip
# stage -> share of opportunities (never "accepted": an accepted offer ends the whole search, R9)
STAGE_MIX = (
    ("prospect", 0.12), ("applied", 0.17), ("screening", 0.08), ("interviewing", 0.1), ("offer", 0.03),
    ("rejected", 0.27), ("withdrawn", 0.1), ("on_hold", 0.13),
)  # fmt: skip
OPEN = {"prospect", "applied", "screening", "interviewing", "offer"}
PATH = ("prospect", "applied", "screening", "interviewing", "offer")
# Fixed numbers of fresh, still-owed items on the morning of `now`, whatever the size.
FRESH_REPLIES = 8
FRESH_INTERVIEWS = 5


@dataclass
class Someone:
    id: int
    org: int | None
    roles: list[str]
    emails: int
    phone: bool
    linkedin: bool
    cadence: int | None
    dnc: bool
    last: datetime | None = None  # latest touch so far (stories), to shape the network chain


@dataclass
class Opp:
    id: int
    org: int
    stage: str
    start: datetime
    hiring_manager: int | None
    interviewers: list[int]
    recruiter: int | None
    candidates: list[int]
    decision: date | None = None
    changed: datetime | None = None


class World:
    """Deterministic synthetic data for one workspace (see the module docstring)."""

    def __init__(self, *, people: int, touches: int, seed: int, playbook: str, now: datetime) -> None:
        if people < 10 or touches < people:
            raise ValueError("a workspace needs at least 10 people and at least one touch per person")
        self.n_people = people
        self.n_touches = touches
        self.seed = seed
        self.playbook = playbook
        self.now = now
        self.start = now - timedelta(days=HISTORY_DAYS)
        self.rng = random.Random(seed * 7919 + people)
        self.interactions: list[tuple[int, datetime, str, str, str, int | None, str, date | None]] = []
        self.participants: list[tuple[int, int]] = []

    # -- helpers -----------------------------------------------------------------------
    def pick(self, mix: Sequence[tuple[str, float]]) -> str:
        x = self.rng.random()
        for value, share in mix:
            x -= share
            if x < 0:
                return value
        return mix[-1][0]

    def touch(
        self,
        at: datetime,
        kind: str,
        direction: str,
        people: Iterable[int],
        *,
        channel: str = "email",
        opp: int | None = None,
        points: str = "",
        ooo: date | None = None,
    ) -> datetime | None:
        """Log one touch if it happened before ``now`` (stories are cut at the present)."""
        if at >= self.now or at < self.start:
            return None
        at = at.replace(microsecond=0)
        iid = self.base["interaction"] + len(self.interactions)
        self.interactions.append((iid, at, kind, channel, direction, opp, points, ooo))
        for pid in dict.fromkeys(people):
            self.participants.append((iid, pid))
            who = self.people[pid - self.base["person"]]
            if who.last is None or at > who.last:
                who.last = at
        return at

    def office_hours(self, moment: datetime) -> datetime:
        """Move a moment to a weekday between 13:00 and 22:00 UTC (working hours in the Americas)."""
        while moment.weekday() >= 5:
            moment += DAY
        hour = 13 + self.rng.randrange(9)
        return moment.replace(hour=hour, minute=self.rng.randrange(60), second=0, microsecond=0)

    # -- building -----------------------------------------------------------------------
    def write(self) -> tuple[int, dict[str, int]]:
        from django.db import connection, transaction

        from bench.tables import TableWriter

        writer = TableWriter(connection)
        with transaction.atomic():
            self.base = writer.next_ids()
            workspace_id = self.base["workspace"]
            self.workspace_id = workspace_id
            self.make_orgs()
            self.make_people()
            self.make_opportunities()
            self.make_stories()
            self.make_fresh()
            self.make_network()
            writer.write(self)
        return workspace_id, writer.counts

    def make_orgs(self) -> None:
        n = max(8, self.n_people // 20)
        self.orgs: list[dict[str, Any]] = []
        for k in range(n):
            name = f"{ORG_A[k % len(ORG_A)]} {ORG_B[(k // len(ORG_A)) % len(ORG_B)]}"
            if k >= len(ORG_A) * len(ORG_B):
                name += f" {k // (len(ORG_A) * len(ORG_B)) + 1}"
            self.orgs.append(
                {
                    "id": self.base["organization"] + k,
                    "name": name,
                    "industry": INDUSTRIES[k % len(INDUSTRIES)],
                    "priority": self.rng.choice((1, 2, 3, 3, 3, 4, 5)),
                    "target": self.rng.random() < 0.15,
                    "created_at": self.start + timedelta(days=self.rng.randrange(HISTORY_DAYS // 2)),
                    "website": f"https://{name.lower().replace(' ', '')}.example",
                }
            )
        # a long tail: org k gets weight 1/(k+1)^0.9
        weights = [1 / (k + 1) ** 0.9 for k in range(n)]
        total = sum(weights)
        self.org_cdf = []
        acc = 0.0
        for w in weights:
            acc += w / total
            self.org_cdf.append(acc)

    def some_org(self) -> int:
        import bisect

        k = min(bisect.bisect_left(self.org_cdf, self.rng.random()), len(self.orgs) - 1)
        return int(self.orgs[k]["id"])

    def make_people(self) -> None:
        rng = self.rng
        mix = ROLE_MIX.get(self.playbook, ROLE_MIX["jobseeker"])
        self.people: list[Someone] = []
        self.by_org: dict[int, list[int]] = {}
        self.by_role: dict[str, list[int]] = {}
        for k in range(self.n_people):
            pid = self.base["person"] + k
            role = self.pick(mix)
            roles = [role]
            if role != "candidate" and rng.random() < 0.08:
                roles.append(rng.choice(("referrer", "peer", "interviewer")))
            org = self.some_org() if (role != "candidate" or rng.random() < 0.7) and rng.random() < 0.93 else None
            cadence = None
            if rng.random() < 0.2:
                cadence = rng.choice((14, 60, 90, 180))
            someone = Someone(
                id=pid,
                org=org,
                roles=list(dict.fromkeys(roles)),
                emails=0 if rng.random() < 0.12 else (2 if rng.random() < 0.1 else 1),
                phone=rng.random() < 0.45,
                linkedin=rng.random() < 0.7,
                cadence=cadence,
                dnc=rng.random() < 0.015,
            )
            self.people.append(someone)
            if org is not None:
                self.by_org.setdefault(org, []).append(pid)
            for r in someone.roles:
                self.by_role.setdefault(r, []).append(pid)

    def person(self, pid: int) -> Someone:
        return self.people[pid - self.base["person"]]

    def staff(self, org: int, role: str) -> int | None:
        """Someone at ``org`` with ``role`` (else anyone at the org, else None)."""
        here = self.by_org.get(org, [])
        if not here:
            return None
        for _ in range(6):
            pid = self.rng.choice(here)
            if role in self.person(pid).roles:
                return pid
        return self.rng.choice(here)

    def make_opportunities(self) -> None:
        rng = self.rng
        n = max(4, self.n_people // 12)
        self.opps: list[Opp] = []
        candidates = self.by_role.get("candidate", [])
        for k in range(n):
            org = self.some_org()
            stage = self.pick(STAGE_MIX)
            if stage in OPEN:
                start = self.now - timedelta(days=rng.randrange(3, 75))
            else:
                start = self.start + timedelta(days=rng.randrange(HISTORY_DAYS - 40))
            hm = self.staff(org, "hiring_manager")
            interviewers = [p for p in (self.staff(org, "interviewer") for _ in range(rng.randrange(0, 3))) if p]
            recruiter = self.staff(org, "recruiter") if rng.random() < 0.5 else None
            picked = (
                [rng.choice(candidates) for _ in range(rng.randrange(1, 6))]
                if self.playbook == "recruiter" and candidates
                else []
            )
            opp = Opp(
                id=self.base["opportunity"] + k,
                org=org,
                stage=stage,
                start=self.office_hours(start),
                hiring_manager=hm,
                interviewers=[p for p in dict.fromkeys(interviewers) if p != hm],
                recruiter=recruiter if recruiter not in (hm, *interviewers) else None,
                candidates=list(dict.fromkeys(picked)),
            )
            if stage == "interviewing" and rng.random() < 0.3:
                opp.decision = (self.now + timedelta(days=rng.randrange(-10, 15))).date()
            self.opps.append(opp)

    # -- stories of the opportunities ---------------------------------------------------------
    def make_stories(self) -> None:
        for opp in self.opps:
            if self.playbook == "recruiter":
                self.recruiter_story(opp)
            else:
                self.jobseeker_story(opp)

    def thank(self, at: datetime, people: Sequence[int], opp: int) -> None:
        """The diligent user: a thank-you to everyone in an interview within the day."""
        for pid in people:
            later = at + timedelta(hours=self.rng.randrange(2, 20))
            if later >= self.now:
                later = at + (self.now - at) / 2
            self.touch(later, "thank_you", "out", [pid], opp=opp)

    def answer(self, at: datetime, pid: int, opp: int | None, channel: str = "email") -> None:
        """The diligent user answers an inbound message within a day (before ``now``)."""
        later = at + timedelta(hours=self.rng.randrange(1, 22))
        if later >= self.now:
            later = at + (self.now - at) / 2
        self.touch(later, "reply", "out", [pid], opp=opp, channel=channel)

    def jobseeker_story(self, opp: Opp) -> None:
        rng = self.rng
        contact = opp.recruiter or opp.hiring_manager
        if contact is None:
            return
        target = opp.stage if opp.stage in PATH else rng.choice(PATH[1:4])
        t = opp.start
        if opp.stage == "prospect":
            referrer = self.staff(opp.org, "referrer")
            if referrer and rng.random() < 0.4:
                self.touch(t, "referral_ask", "out", [referrer], opp=opp.id, channel="linkedin")
            return
        self.touch(t, "application", "out", [contact], opp=opp.id)
        if target == "applied":
            if rng.random() < 0.5:
                return  # still unanswered: R3's nudges come due
            t = self.office_hours(t + timedelta(days=8))
            self.touch(t, "nudge", "out", [contact], opp=opp.id)
            return
        t = self.office_hours(t + timedelta(days=rng.randrange(3, 10)))
        self.touch(t, "reply", "in", [contact], opp=opp.id)
        self.answer(t, contact, opp.id)
        t = self.office_hours(t + timedelta(days=rng.randrange(2, 6)))
        self.touch(t, "call", "both", [contact], opp=opp.id, channel="phone")
        if target == "screening":
            self.close(opp, t)
            return
        panel = [p for p in (opp.hiring_manager, *opp.interviewers) if p]
        for _ in range(rng.randrange(1, 4)):
            t = self.office_hours(t + timedelta(days=rng.randrange(4, 11)))
            people = panel[: rng.randrange(1, len(panel) + 1)] or [contact]
            if self.touch(t, "interview", "both", people, opp=opp.id, channel="video", points=rng.choice(POINTS)):
                self.thank(t, people, opp.id)
        if target == "offer":
            t = self.office_hours(t + timedelta(days=rng.randrange(3, 9)))
            self.touch(t, "offer", "in", [contact], opp=opp.id)
            self.answer(t, contact, opp.id)
        elif rng.random() < 0.4:
            t = self.office_hours(t + timedelta(days=rng.randrange(7, 10)))
            self.touch(t, "status_inquiry", "out", [contact], opp=opp.id)
        self.close(opp, t)

    def recruiter_story(self, opp: Opp) -> None:
        rng = self.rng
        hm = opp.hiring_manager
        if hm is None:
            return
        t = opp.start
        self.touch(t, "intake_call", "both", [hm], opp=opp.id, channel="phone")
        self.touch(t + timedelta(hours=rng.randrange(2, 20)), "intake_follow_up", "out", [hm], opp=opp.id)
        target = opp.stage if opp.stage in PATH else rng.choice(PATH[1:4])
        if target == "prospect":
            return
        t = self.office_hours(t + timedelta(days=rng.randrange(3, 12)))
        self.touch(t, "submission", "out", [hm], opp=opp.id)
        answered = rng.random() < 0.75
        if answered:
            t = self.office_hours(t + timedelta(days=rng.randrange(1, 4)))
            self.touch(t, "reply", "in", [hm], opp=opp.id)
            self.answer(t, hm, opp.id)
        elif opp.stage in OPEN:
            return  # no feedback yet: P2 asks for it
        for cand in opp.candidates:
            self.touch(t + timedelta(hours=rng.randrange(1, 30)), "candidate_update", "out", [cand], opp=opp.id)
        if target in ("interviewing", "offer"):
            for cand in opp.candidates[: rng.randrange(1, len(opp.candidates) + 1)]:
                t = self.office_hours(t + timedelta(days=rng.randrange(2, 8)))
                panel = [cand, hm, *opp.interviewers[:1]]
                met = self.touch(t, "interview", "both", panel, opp=opp.id, channel="video", points=rng.choice(POINTS))
                if met and rng.random() < 0.8:
                    later = self.office_hours(t + DAY)
                    self.touch(later, "reply", "in", [hm], opp=opp.id)
                    self.answer(later, hm, opp.id)
        self.close(opp, t)

    def close(self, opp: Opp, t: datetime) -> None:
        contact = opp.recruiter or opp.hiring_manager
        if opp.stage in OPEN or contact is None:
            opp.changed = min(t, self.now - HOUR)
            return
        t = self.office_hours(t + timedelta(days=self.rng.randrange(3, 15)))
        if opp.stage == "rejected":
            self.touch(t, "rejection", "in", [contact], opp=opp.id)
            self.answer(t, contact, opp.id)
        elif opp.stage == "withdrawn":
            self.touch(t, "message", "out", [contact], opp=opp.id)
        else:
            self.touch(t, "reply", "in", [contact], opp=opp.id)
            self.answer(t, contact, opp.id)
        opp.changed = min(t, self.now - HOUR)

    def make_fresh(self) -> None:
        """A fixed handful of owed items from the last day: replies to write, thank-yous to send."""
        rng = self.rng
        pool = [p for p in self.people if not p.dnc and p.emails]
        for k in range(FRESH_REPLIES):
            who = rng.choice(pool)
            at = self.now - timedelta(hours=2 + 3 * k)
            self.touch(at, "reply", "in", [who.id], opp=None, channel=rng.choice(("email", "linkedin")))
        interviewing = [o for o in self.opps if o.stage == "interviewing" and o.hiring_manager]
        for k in range(min(FRESH_INTERVIEWS, len(interviewing))):
            opp = interviewing[k]
            assert opp.hiring_manager is not None
            panel = [opp.hiring_manager, *opp.interviewers[:1]]
            if self.playbook == "recruiter" and opp.candidates:
                panel.insert(0, opp.candidates[0])
            at = self.now - timedelta(hours=3 + 4 * k)
            self.touch(at, "interview", "both", panel, opp=opp.id, channel="video", points=rng.choice(POINTS))

    # -- everyone else: the network ----------------------------------------------------------
    def period(self, p: Someone) -> int:
        """The keep-warm cadence this person most likely runs at (shapes when they come due)."""
        if self.playbook == "recruiter" and "candidate" in p.roles:
            return 7
        if "recruiter" in p.roles:
            return 14
        return p.cadence or 30

    def make_network(self) -> None:
        rng = self.rng
        budget = self.n_touches - len(self.interactions)
        if budget <= 0:
            return
        # about a quarter never contacted; the rest share the budget with a long tail
        chosen = [p for p in self.people if p.last is not None or rng.random() < 0.68]
        weights = [rng.lognormvariate(0, 0.9) for _ in chosen]
        scale = budget / sum(weights) / 1.4  # a chain touch brings its answer along now and then
        for p, w in zip(chosen, weights, strict=True):
            k = max(1, round(w * scale))
            self.chain(p, min(k, 400))

    def chain(self, p: Someone, k: int) -> None:
        """``k`` network touches for one person, ending at a moment that shapes their next due day."""
        rng = self.rng
        period = self.period(p)
        if rng.random() < 0.88:  # on track: due some day within the cadence ahead
            last = self.now - timedelta(days=rng.uniform(0.5, period - 0.5))
        else:  # lapsed: overdue by a couple of weeks on average, a few by months
            last = self.now - timedelta(days=period + min(120.0, rng.expovariate(1 / 12)))
        if p.last is not None and p.last > last:
            last = p.last - timedelta(days=rng.uniform(1, 20))
        span = (last - self.start).total_seconds() / 86400
        gap = max(0.3, min(period * 1.5, span / max(k, 1)))
        moments = []
        t = last
        for _ in range(k):
            if t < self.start:
                break
            moments.append(t)
            t -= timedelta(days=rng.expovariate(1 / gap))
        moments.reverse()
        channel = "linkedin" if not p.emails and p.linkedin else "email"
        n = len(moments)
        for j, at in enumerate(moments):
            final = j == n - 1
            x = rng.random()
            if final and x < 0.04:
                self.touch(at, "check_in", "out", [p.id], channel=channel)  # unanswered ask: R3 nudges
            elif x < 0.25:
                self.touch(at, "value_share", "out", [p.id], channel=channel)
            elif x < 0.45:
                if final:
                    at = min(at, self.now - timedelta(hours=3))
                self.touch(at, "check_in", "out", [p.id], channel=channel)
                answer = min(at + timedelta(hours=rng.randrange(2, 30)), at + (self.now - at) / 3)
                if self.touch(answer, "reply", "in", [p.id], channel=channel):  # they answer, and so do we
                    self.answer(answer, p.id, None, channel)
            elif x < 0.6:
                self.touch(at, "reply", "in", [p.id], channel=channel)
                self.answer(at, p.id, None, channel)
            elif x < 0.72:
                self.touch(at, "call", "both", [p.id], channel="phone")
            elif x < 0.82:
                self.touch(at, "keep_warm", "out", [p.id], channel=channel)
            elif x < 0.88 and p.linkedin:
                self.touch(at, "connection", "both", [p.id], channel="linkedin")
            elif x < 0.9:
                self.touch(at, "auto_reply", "in", [p.id])
            elif x < 0.91:
                self.touch(at, "out_of_office", "in", [p.id], ooo=(at + timedelta(days=rng.randrange(2, 12))).date())
            else:
                self.touch(at, "message", "out", [p.id], channel=channel)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--touches", type=int, required=True)
    parser.add_argument("--db", help="PostgreSQL URL or SQLite path (default: the environment's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--playbook", default="recruiter", choices=("recruiter", "jobseeker"))
    parser.add_argument("--now", default=BENCH_NOW.isoformat())
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args(argv)
    built = build_workspace(
        people=args.people,
        touches=args.touches,
        database_url=args.db,
        seed=args.seed,
        playbook=args.playbook,
        now=datetime.fromisoformat(args.now),
    )
    if args.json:
        print(json.dumps(built.to_json()))
    else:
        print(f"workspace {built.workspace_id} in {built.database_url}")
        print(", ".join(f"{k} {v}" for k, v in built.counts.items()))
        print(", ".join(f"{k} {v:.1f}s" for k, v in built.seconds.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
