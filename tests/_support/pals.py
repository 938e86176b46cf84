"""A PAL id to attach tools and skills to on FakeTavus, with or without its pals family.

FakeTavus attaches to any PAL its ``pals`` family holds, or to any id when it has no
such family: a stock PAL when there is one, else a PAL id of the tests' own.
"""

from __future__ import annotations

from tavus_async.testing import FakeTavus


def a_pal(fake: FakeTavus) -> str:
    """An id FakeTavus takes as a PAL's."""
    try:
        pals = fake.jobs.of("pals")
    except KeyError:
        return "p9a95912"
    return next(iter(pals), "p9a95912")
