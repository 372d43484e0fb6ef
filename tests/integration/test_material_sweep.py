"""Material files a crash left without their library item are swept once a day, and only those:
a fresh file (an upload still in its transaction) and every item's own file stay."""

from __future__ import annotations

import io
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from topofmind import tasks
from topofmind.crm import services
from topofmind.crm.models import Workspace

pytestmark = pytest.mark.django_db


def _aged(path: Path, data: bytes, *, before: datetime) -> Path:
    path.write_bytes(data)
    stamp = before.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_a_day_old_file_without_its_item_is_swept_and_everything_else_stays(
    alice: Workspace, now: datetime, settings: Settings, tmp_path: Path
) -> None:
    settings.MATERIALS_DIR = tmp_path / "materials"
    kept = services.add_material(
        workspace=alice, upload=io.BytesIO(b"%PDF-1.4 resume"), original_name="resume.pdf", title="Resume", now=now
    )
    folder = services.materials_folder(alice.pk)
    own_file = services.material_path(kept)
    stamp = (now - timedelta(days=30)).timestamp()
    os.utime(own_file, (stamp, stamp))  # an old item's file is still its file
    crashed = _aged(folder / "m-crashed-upload.pdf", b"half a portfolio", before=now - timedelta(days=2))
    uploading = _aged(folder / "m-uploading-now.pdf", b"in flight", before=now - timedelta(minutes=5))

    assert services.material_orphans(alice.pk) == sorted([crashed, uploading])
    removed = services.sweep_material_orphans(now=now)

    assert removed == [crashed]
    assert not crashed.exists() and uploading.exists() and own_file.read_bytes() == b"%PDF-1.4 resume"
    assert services.sweep_material_orphans(now=now) == []


def test_no_materials_folder_yet_is_nothing_to_sweep(
    now: datetime, settings: Settings, tmp_path: Path
) -> None:
    settings.MATERIALS_DIR = tmp_path / "never-made"
    assert services.sweep_material_orphans(now=now) == []
    assert not (tmp_path / "never-made").exists()


def test_the_sweep_runs_on_the_queue_once_a_day_one_at_a_time() -> None:
    job = tasks.sweep_materials
    assert job.schedule is not None and job.options.lock is True
    runs = [(h, m) for h in range(24) for m in range(60) if job.schedule(datetime(2030, 3, 4, h, m))]
    assert runs == [(3, 37)]
