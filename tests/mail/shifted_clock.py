"""Run topofmind with the wall clock moved: ``python shifted_clock.py SECONDS -m topofmind ARGS...``.

Every process a test starts with the same SECONDS shares one moved clock that keeps ticking
(time-machine), so a real `topofmind worker` meets the morning of a chosen day: its scheduler
finds the periodic jobs due at that minute, and the jobs read that day as "now". Monotonic time
(the consumer's sleeps and timeouts) is left alone.
"""

from __future__ import annotations

import runpy
import sys
import time

import time_machine


def main() -> None:
    shift = float(sys.argv[1])
    if sys.argv[2] != "-m" or len(sys.argv) < 4:
        raise SystemExit("usage: shifted_clock.py SECONDS -m MODULE [ARGS...]")
    time_machine.travel(time.time() + shift, tick=True).start()
    module = sys.argv[3]
    sys.argv = [module, *sys.argv[4:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
