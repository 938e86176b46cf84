"""Start-up: ``import tavus_async`` as a ratio to ``import aiohttp`` alone.

Each import runs in a fresh interpreter with ``-X importtime``; the cumulative time of
the top-level module is read from its last line. The two are interleaved over several
rounds, so that machine noise falls on both, and the medians are compared. It also
checks that the command line's libraries and the emulator are not imported on the way.

Target: ratio <= 1.3.

    python benchmarks/startup.py            # 15 rounds; exit 1 if the target is missed
    python benchmarks/startup.py --smoke    # 3 rounds
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

HEAVY = ("rich", "aiohttp.web", "tavus_async.testing", "tavus_async.callbacks", "tavus_async.cli")


def import_time_us(module: str) -> int:
    """The cumulative microseconds ``import module`` takes in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    last = done.stderr.strip().splitlines()[-1]  # "import time: self | cumulative | module"
    return int(last.split("|")[1])


def heavy_imports() -> list[str]:
    probe = f"import sys, tavus_async; print([m for m in {HEAVY!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(eval(done.stdout))  # a list literal this script printed itself


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    rounds = 3 if args.smoke else args.rounds
    sdk, base = [], []
    for _ in range(rounds):
        base.append(import_time_us("aiohttp"))
        sdk.append(import_time_us("tavus_async"))
    ratio = statistics.median(sdk) / statistics.median(base)
    pulled_in = heavy_imports()
    print("| import | median ms | ratio to aiohttp |")
    print("|---|---|---|")
    print(f"| aiohttp | {statistics.median(base) / 1000:.1f} | 1.00 |")
    print(f"| tavus_async | {statistics.median(sdk) / 1000:.1f} | {ratio:.2f} |")
    met = ratio <= 1.3 and not pulled_in
    print(f"\nheavy modules imported by `import tavus_async`: {pulled_in or 'none'}")
    print(f"target (ratio <= 1.3, none of {', '.join(HEAVY)}): {'met' if met else 'MISSED'}")
    return 0 if met or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
