"""Company news read on the queue by a real `topofmind worker` process ("Fetch now"), on SQLite
and on Redis, and the periodic job's declaration (once per period, never two at once)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from feedsite import Site

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TOPOFMIND_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class Install:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.processes: list[subprocess.Popen[str]] = []

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "topofmind", *args], capture_output=True, text=True, env=self.env, timeout=120
        )

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, *args: str) -> None:
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "topofmind", *args],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
            )
        )


@pytest.fixture(params=["sqlite", "redis"])
def install(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Install]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPOFMIND_", "DJANGO_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    env["TOPOFMIND_DATA_DIR"] = str(tmp_path)
    env["TOPOFMIND_FETCH_PRIVATE_ADDRESSES"] = "true"  # the test site is on loopback
    prefix = ""
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            pytest.skip(f"Redis at {REDIS_URL} is unreachable ({exc})")
        prefix = f"tm-news-test-{os.getpid()}-{secrets.token_hex(4)}:"
        env["TOPOFMIND_QUEUE_URL"] = REDIS_URL
        env["TOPOFMIND_QUEUE_PREFIX"] = prefix
    made = Install(env)
    yield made
    for process in made.processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if prefix:
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(match=f"{prefix}*"):
            server.delete(key)


def feeds(install: Install) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(install.ok("feeds", "list", "--json"))
    return result


def test_fetch_now_is_run_by_a_worker_and_the_news_lands_in_the_library(install: Install, site: Site) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml")
    install.ok("org", "add", "Northwind")
    install.ok("feed", "add", "Northwind", url)
    install.start("worker", "--workers", "1", "--heartbeat", "0.25", "--stale-after", "1")

    queued = install.ok("feeds", "fetch", "--later")

    assert queued.startswith("Queued a fetch of every feed")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and feeds(install)[0]["last_fetch_at"] is None:
        time.sleep(0.3)
    [feed] = feeds(install)
    assert feed["ok"] and feed["status"].startswith("4 entries, 4 new at ")
    news = json.loads(install.ok("value", "list", "--kind", "news", "--json"))
    assert len(news) == 4 and {item["organization"]["name"] for item in news} == {"Northwind"}
    assert site.paths() == ["/news.xml"]


def test_the_periodic_fetch_runs_every_six_hours_once_per_period_and_one_at_a_time() -> None:
    from topofmind import tasks

    job = tasks.fetch_news
    assert job.schedule is not None and job.options.lock is True
    runs = [hour for hour in range(24) if job.schedule(datetime(2030, 3, 4, hour, 7))]
    assert runs == [0, 6, 12, 18]
    assert not job.schedule(datetime(2030, 3, 4, 6, 8))
