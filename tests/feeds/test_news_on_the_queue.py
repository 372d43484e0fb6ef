"""Company news read on the queue by a real `topofmind worker` process ("Fetch now"), on SQLite
and on Redis, and the periodic job's declaration (once per period, never two at once)."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from feedsite import Site

# The mail tests' personal install in a temporary folder (SQLite, or Redis under its own prefix).
from tests.mail.test_queue_processes import FAST, Install, install  # noqa: F401 - a fixture


def ok(at: Install, *args: str) -> str:
    done = at.run(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def feeds(at: Install) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(ok(at, "feeds", "list", "--json"))
    return result


def test_fetch_now_is_run_by_a_worker_and_the_news_lands_in_the_library(
    install: Install,  # noqa: F811 - the fixture imported above
    site: Site,
) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml")
    ok(install, "org", "add", "Northwind")
    ok(install, "feed", "add", "Northwind", url)
    install.env["TOPOFMIND_FETCH_PRIVATE_ADDRESSES"] = "true"  # the test site is on loopback
    install.start("worker", "--workers", "1", *FAST)

    queued = ok(install, "feeds", "fetch", "--later")

    assert queued.startswith("Queued a fetch of every feed")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and feeds(install)[0]["last_fetch_at"] is None:
        time.sleep(0.3)
    [feed] = feeds(install)
    assert feed["ok"] and feed["status"].startswith("4 entries, 4 new at ")
    news = json.loads(ok(install, "value", "list", "--kind", "news", "--json"))
    assert len(news) == 4 and {item["organization"]["name"] for item in news} == {"Northwind"}
    assert site.paths() == ["/news.xml"]


def test_the_periodic_fetch_runs_every_six_hours_once_per_period_and_one_at_a_time() -> None:
    from topofmind import tasks

    job = tasks.fetch_news
    assert job.schedule is not None and job.options.lock is True
    runs = [hour for hour in range(24) if job.schedule(datetime(2030, 3, 4, hour, 7))]
    assert runs == [0, 6, 12, 18]
    assert not job.schedule(datetime(2030, 3, 4, 6, 8))
