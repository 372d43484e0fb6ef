"""A consumer process for the queue tests: `python run_sample_consumer.py URL NAME PREFIX [options]`."""

from __future__ import annotations

import argparse
import logging
import sys

import queue_sample_jobs

from topofmind.jobs import ConsumerSettings, make_queue, run_consumer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("name")
    parser.add_argument("prefix")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--heartbeat", type=float, default=0.25)
    parser.add_argument("--stale-after", type=float, default=1.0)
    parser.add_argument("--periodic-check", type=int, default=0, help="0: enqueue no periodic jobs")
    options = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(process)d %(threadName)s %(name)s %(message)s"
    )
    queue = make_queue(options.url, name=options.name, prefix=options.prefix)
    queue_sample_jobs.registry.bind(queue)
    settings = ConsumerSettings(
        heartbeat_seconds=options.heartbeat,
        stale_after_seconds=options.stale_after,
        periodic_check_seconds=options.periodic_check or 60,
        enqueue_periodic=options.periodic_check > 0,
        shutdown_timeout_seconds=2.0,
        poll_max_delay_seconds=0.2,
    )
    run_consumer(queue, options.workers, settings=settings)


if __name__ == "__main__":
    main()
