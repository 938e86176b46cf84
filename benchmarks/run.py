"""Run every benchmark and print their markdown tables, one section each.

    python benchmarks/run.py            # full: minutes; exit 1 if any target is missed
    python benchmarks/run.py --smoke    # seconds each: they all still work (CI runs this)

Each benchmark also runs on its own (``python benchmarks/<name>.py [--smoke]``). Every
figure is a ratio or a count measured within one run, never a timed test.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("overhead", "fleet", "parse", "startup", "soak", "callbacks", "relay")


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    missed = []
    for name in BENCHMARKS:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(HERE / f"{name}.py"), *(["--smoke"] if smoke else [])],
            capture_output=True,
            text=True,
        )
        print(f"## {name} ({time.monotonic() - started:.0f} s)\n")
        print(done.stdout.strip() or done.stderr.strip())
        print()
        if done.returncode != 0:
            missed.append(name)
            if done.stderr.strip() and done.stdout.strip():
                print(done.stderr.strip()[-2000:], "\n")
    print(f"targets missed or failed: {', '.join(missed) or 'none'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
