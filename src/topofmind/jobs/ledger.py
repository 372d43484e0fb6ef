"""The started/finished record every job writes, so that a job whose consumer died is not lost.

huey takes a job off the queue when a worker picks it up; if that process is killed the job is
gone. So while a job runs under one of our consumers it has a record here holding its queue
message, the consumer running it and the locks it took. A finished job (success, failure or a
retry scheduled by huey) removes its record. A record whose consumer has stopped sending
heartbeats is therefore a job that was cut off mid-run; see recovery.py for what happens next.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from topofmind.jobs.coordination import Coordination

RUNS = "runs"
ABANDONED = "abandoned"

IfAbandoned = Literal["requeue", "report"]


@dataclass(frozen=True)
class RunRecord:
    task_id: str
    job: str
    summary: str  # the job and its arguments, shortened, for a person reading a report
    consumer: str | None  # None while a recovered job waits in the queue again
    started_at: float  # seconds since the epoch
    message: bytes  # huey's serialized task: enough to put the very same job back
    priority: int
    if_abandoned: IfAbandoned
    max_recoveries: int
    recoveries: int = 0
    locks: tuple[tuple[str, str], ...] = ()  # (claim key, owner) pairs to release if it dies

    def to_json(self) -> str:
        data = asdict(self)
        data["message"] = base64.b64encode(self.message).decode()
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> RunRecord:
        data = json.loads(text)
        data["message"] = base64.b64decode(data["message"])
        data["locks"] = tuple(tuple(pair) for pair in data["locks"])
        return cls(**data)


@dataclass(frozen=True)
class AbandonedJob:
    """A job that was cut off mid-run and was not (or no longer) put back: a person should look."""

    task_id: str
    job: str
    summary: str
    started_at: datetime
    consumer: str | None
    recoveries: int
    reason: str

    def to_json(self) -> str:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> AbandonedJob:
        data = json.loads(text)
        data["started_at"] = datetime.fromisoformat(data["started_at"])
        return cls(**data)


def record_start(store: Coordination, record: RunRecord) -> None:
    """Write the record before the job's code runs; a job put back by recovery keeps its count."""
    earlier = store.get(RUNS, record.task_id)
    if earlier is not None:
        record = replace(record, recoveries=RunRecord.from_json(earlier).recoveries)
    store.put(RUNS, record.task_id, record.to_json())


def record_end(store: Coordination, task_id: str) -> None:
    store.take(RUNS, task_id)


def note_lock(store: Coordination, task_id: str, key: str, owner: str) -> None:
    """Remember a lock the running job is about to take, so that recovery can free it if the job dies."""
    text = store.get(RUNS, task_id)
    if text is not None:
        record = RunRecord.from_json(text)
        store.put(RUNS, task_id, replace(record, locks=(*record.locks, (key, owner))).to_json())


def abandon(store: Coordination, record: RunRecord, reason: str) -> AbandonedJob:
    job = AbandonedJob(
        task_id=record.task_id,
        job=record.job,
        summary=record.summary,
        started_at=datetime.fromtimestamp(record.started_at, tz=UTC),
        consumer=record.consumer,
        recoveries=record.recoveries,
        reason=reason,
    )
    store.put(ABANDONED, record.task_id, job.to_json())
    return job
