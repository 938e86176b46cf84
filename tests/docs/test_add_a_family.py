"""docs/ARCHITECTURE.md's "How to add a family", followed for real in a copy of the package.

A small job family, ``sketches``, is added exactly as the checklist says: its types, its
resource and spec, its FakeTavus routes, the client's line, the exports and its error
class; no CLI file, as the generic commands are all it needs. A fresh interpreter then
uses it end to end: calls, a wait, a failure, a callback waking a wait, its model
written out and read back, and the command line's generic commands.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import tavus_async

PACKAGE = Path(tavus_async.__file__).resolve().parent

TYPES = '''
"""Sketches: the model and its status words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from .._core.models import Model, StatusEnum, parse_progress


class SketchStatus(StatusEnum):
    DRAWING = "drawing"
    DONE = "done"
    ERROR = "error"


@attrs.frozen(kw_only=True)
class Sketch(Model):
    sketch_id: str
    sketch_name: str | None = None
    status: SketchStatus | str | None = None
    drawing_progress: str | None = None
    error_message: str | None = None
    created_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def progress(self) -> float | None:
        return parse_progress(self.drawing_progress)
'''

RESOURCE = '''
"""``tavus.sketches``: a job family added by the checklist."""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator

from .._core.arguments import check_text, check_url, optional
from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from .._exceptions import SketchError
from ..types.sketches import Sketch
from ..waiting.engine import Subscriber
from ..waiting.jobs import JobKind, JobState
from ..waiting.policy import PollPolicy
from ._base import JobResource, body, paging, query
from ._spec import FamilySpec

POLICY = PollPolicy(initial=0.05, maximum=0.05, timeout=30)
# With callbacks, a poll only every 30 s: a wait that ends sooner was woken by its callback.
FALLBACK = PollPolicy(initial=30, maximum=30, timeout=60)

SKETCHES: FamilySpec[Sketch] = FamilySpec(
    name="sketches",
    noun="sketch",
    path="/v2/sketches",
    model=Sketch,
    id_field="sketch_id",
    name_field="sketch_name",
    job=JobKind(
        name="sketch",
        id_field="sketch_id",
        progress_field="drawing_progress",
        states={"drawing": JobState.PENDING, "done": JobState.DONE, "error": JobState.FAILED},
        failure=SketchError,
        reason_fields=("error_message",),
        default_policy=POLICY,
        fallback_policy=FALLBACK,
    ),
    callback_key="sketch_id",
    columns=("sketch_id", "sketch_name", "status", "progress"),
)


class Sketches(JobResource[Sketch]):
    spec = SKETCHES

    async def create(
        self,
        *,
        sketch_name: str,
        callback_url: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Sketch:
        fields = {
            "sketch_name": check_text("sketch_name", sketch_name),
            "callback_url": optional(check_url, "callback_url", callback_url),
        }
        return await self._create(body(fields), options)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Sketch]:
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Sketch, None]:
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(self, sketch_id: str, **options: Unpack[RequestOptions]) -> Sketch:
        return await self._get(sketch_id, verbose=False, options=options)

    async def rename(self, sketch_id: str, name: str, **options: Unpack[RequestOptions]) -> None:
        await self._rename(sketch_id, name, options)

    async def delete(self, sketch_id: str, **options: Unpack[RequestOptions]) -> None:
        await self._delete(sketch_id, hard=False, options=options)

    async def wait(
        self,
        sketch_id: str,
        *,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Sketch:
        return await self._wait(
            sketch_id, policy=policy, on_update=None, callbacks=callbacks, options=options
        )

    def watch(
        self,
        sketch_id: str,
        *,
        policy: PollPolicy | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Sketch, None]:
        return self._watch(sketch_id, policy=policy, options=options)

    async def create_and_wait(
        self,
        *,
        sketch_name: str,
        callback_url: str | None = None,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Sketch:
        create = functools.partial(self.create, sketch_name=sketch_name, **options)
        return await self._create_and_wait(
            create,
            callback_url=callback_url,
            policy=policy,
            on_update=None,
            callbacks=callbacks,
            options=options,
        )
'''

ROUTES = '''
"""FakeTavus's sketches: drawn over ``Timing.sketch_drawing`` seconds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
from aiohttp import web

from .._state import Timing, progress
from ._common import FamilyRoutes, Refusal, mark_created, page, read_body, read_text, read_url


@attrs.define(kw_only=True)
class FakeSketch:
    sketch_id: str
    sketch_name: str
    started: float
    callback_url: str | None = None
    fails: bool = False
    callback_sent: bool = False

    def phase(self, now: float, timing: Timing) -> tuple[str, str]:
        elapsed = now - self.started
        if elapsed >= timing.sketch_drawing:
            return ("error" if self.fails else "done"), "100/100"
        return "drawing", progress(elapsed, timing.sketch_drawing)

    def to_json(self, now: float, timing: Timing) -> dict[str, Any]:
        status, drawn = self.phase(now, timing)
        failure = "The pencil broke" if status == "error" else None
        return {
            "sketch_id": self.sketch_id,
            "sketch_name": self.sketch_name,
            "status": status,
            "drawing_progress": drawn,
            "error_message": failure,
        }

    def finished(self, now: float, timing: Timing) -> bool:
        return self.phase(now, timing)[0] != "drawing"

    def callback_body(self, now: float, timing: Timing, *, files_url: str) -> dict[str, Any]:
        return self.to_json(now, timing)


class Routes(FamilyRoutes):
    name = "sketches"
    PHASES: ClassVar[Mapping[str, float]] = {"sketch_drawing": 1.0}

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/sketches", self.create)
        router.add_get("/v2/sketches", self.list)
        router.add_get("/v2/sketches/{job_id}", self.get)

    def _sketch(self, request: web.Request) -> FakeSketch:
        sketch: FakeSketch | None = self.jobs.get(request.match_info["job_id"])
        if sketch is None:
            raise Refusal("Sketch not found", status=404)
        return sketch

    async def create(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        name = read_text(body, "sketch_name", required=True) or ""
        sketch = FakeSketch(
            sketch_id=self.fake.jobs.new_id("s"),
            sketch_name=name,
            started=self.fake.clock(),
            callback_url=read_url(body, "callback_url"),
            fails=self.fake.fails(name),
        )
        self.jobs[sketch.sketch_id] = sketch
        mark_created(sketch.sketch_id)
        return web.json_response(sketch.to_json(self.fake.clock(), self.fake.timing))

    async def list(self, request: web.Request) -> web.Response:
        now, timing = self.fake.clock(), self.fake.timing
        items = [s.to_json(now, timing) for s in self.jobs.values()]
        return page(request, items, first_page=self.fake.first_page)

    async def get(self, request: web.Request) -> web.Response:
        sketch = self._sketch(request)
        return web.json_response(sketch.to_json(self.fake.clock(), self.fake.timing))
'''

ERROR_CLASS = '''

class SketchError(JobFailedError["Sketch"]):
    """Drawing a sketch ended with status ``error``."""
'''

#: What the fresh interpreter does with the new family; it prints its findings as JSON.
SCRIPT = """
import asyncio, json, sys, threading

import tavus_async
from tavus_async import CallbackReceiver, Sketch, SketchError, SketchStatus, parse_callback
from tavus_async.cli import main
from tavus_async.testing import FakeTavus, ManualClock, Timing

seen = {}


async def on_a_manual_clock():
    async with FakeTavus(clock=ManualClock(), timing=Timing(sketch_drawing=5.0)) as fake:
        async with fake.client() as tavus:
            made = await tavus.sketches.create(sketch_name="cat")
            seen["created"] = [made.status == SketchStatus.DRAWING, made.sketch_id]
            done = await tavus.sketches.wait(made.sketch_id)
            seen["waited"] = [str(done.status), done.progress]
            page = await tavus.sketches.list()
            seen["listed"] = [s.sketch_id for s in page.data]
            raw = await tavus.sketches.with_raw_response.get(made.sketch_id)
            seen["raw"] = [raw.status_code, raw.parse().sketch_id == made.sketch_id]
            both = await tavus.sketches.create_and_wait(
                sketch_name="hen", extra_body={"style": "ink"}, timeout=5
            )
            seen["create_and_wait"] = str(both.status)
            bad = await tavus.sketches.create(sketch_name="tavus-fail dog")
            try:
                await tavus.sketches.wait(bad.sketch_id)
            except SketchError as error:
                seen["failed"] = [type(error).__name__, error.job.error_message]
        seen["jobs"] = sorted(fake.jobs.sketches)


async def woken_by_a_callback():
    timing = Timing(sketch_drawing=0.2)
    async with FakeTavus(timing=timing, callback_interval=0.01) as fake:
        async with CallbackReceiver() as receiver, fake.client() as tavus:
            made = await tavus.sketches.create(sketch_name="owl", callback_url=receiver.url)
            await tavus.sketches.wait(made.sketch_id, callbacks=receiver)
            seen["callbacks"] = [receiver.received, [c.outcome for c in fake.callbacks]]
    parsed = parse_callback({"sketch_id": "s1", "status": "done"})
    seen["parsed"] = [type(parsed).__name__, parsed.sketch_id]
    again = Sketch.from_dict(json.loads(parsed.to_json()))
    seen["serialised"] = [parsed.to_dict(), again == parsed]


def serve(started, stop):
    async def run():
        async with FakeTavus(timing=Timing(sketch_drawing=0.3)) as fake:
            async with fake.client() as tavus:
                made = await tavus.sketches.create(sketch_name="fox")
            started.append((fake.base_url, fake.api_key, made.sketch_id))
            while not stop.is_set():
                await asyncio.sleep(0.01)
    asyncio.run(run())


asyncio.run(on_a_manual_clock())
asyncio.run(woken_by_a_callback())

started, stop = [], threading.Event()
server = threading.Thread(target=serve, args=(started, stop))
server.start()
while not started:
    threading.Event().wait(0.01)
base_url, key, sketch_id = started[0]
common = ["--base-url", base_url, "--api-key", key, "--json", "sketches"]
sys.stdout = open("cli-out.txt", "w")
codes = [main([*common, "wait", sketch_id, "--poll", "0.05"]), main([*common, "list"])]
sys.stdout.close()
sys.stdout = sys.__stdout__
stop.set()
server.join()
with open("cli-out.txt") as out:
    lines = [json.loads(line) for line in out]
seen["cli"] = [codes, lines[-2]["status"], lines[-1]["sketch_id"] == sketch_id]
seen["exports"] = [n for n in ("Sketch", "SketchStatus", "SketchError") if n in tavus_async.__all__]
print(json.dumps(seen))
"""


def add_the_family(package: Path) -> None:
    """The checklist's steps, in a copy of the package."""
    (package / "types" / "sketches.py").write_text(TYPES, encoding="utf-8")
    (package / "resources" / "sketches.py").write_text(RESOURCE, encoding="utf-8")
    (package / "testing" / "_routes" / "sketches.py").write_text(ROUTES, encoding="utf-8")
    edit(
        package / "_client.py",
        (
            "    from .resources.replicas import Replicas\n",
            "    from .resources.sketches import Sketches\n",
        ),
        ("    from .types.replicas import Replica\n", "    from .types.sketches import Sketch\n"),
        (
            '    videos: Family[Videos] = Family("videos")\n',
            '    sketches: Family[Sketches] = Family("sketches")\n',
        ),
    )
    replace(package / "_client.py", "= Replica | Video", "= Replica | Video | Sketch")
    edit(
        package / "__init__.py",
        (
            "    from .types.replicas import Replica, ReplicaProperties, ReplicaStatus\n",
            "    from .types.sketches import Sketch, SketchStatus\n",
        ),
        (
            '    "types.videos": ("Video", "VideoProperties", "VideoStatus"),\n',
            '    "types.sketches": ("Sketch", "SketchStatus"),\n',
        ),
        ("    ReplicaTrainingError,\n", "    SketchError,\n"),
        ("__all__ = [\n", '    "Sketch",\n    "SketchError",\n    "SketchStatus",\n'),
    )
    edit(
        package / "_exceptions.py",
        (
            "    from .types.replicas import Replica  # noqa: F401\n",
            "    from .types.sketches import Sketch\n",
        ),
    )
    replace(package / "_exceptions.py", "", ERROR_CLASS)


def edit(path: Path, *insertions: tuple[str, str]) -> None:
    """Add each text on the line after its anchor line."""
    text = path.read_text(encoding="utf-8")
    for anchor, addition in insertions:
        assert text.count(anchor) == 1, (path.name, anchor)
        text = text.replace(anchor, anchor + addition)
    path.write_text(text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which occurs once) with ``new``; an empty ``old`` appends ``new``."""
    text = path.read_text(encoding="utf-8")
    if not old:
        path.write_text(text + new, encoding="utf-8")
        return
    assert text.count(old) == 1, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def changed_files(before: Path, after: Path) -> set[str]:
    """The files under ``after`` that are new or differ from ``before``."""
    changed = set()
    for path in after.rglob("*.py"):
        relative = path.relative_to(after)
        original = before / relative
        if not original.exists() or not filecmp.cmp(original, path, shallow=False):
            changed.add(relative.as_posix())
    return changed


def test_a_new_family_needs_at_most_seven_files_and_works_end_to_end(tmp_path: Path) -> None:
    """Following the checklist touches seven files, none in _core/ or waiting/, and the new
    family works: calls, waits, its typed failure, callbacks, FakeTavus and the CLI."""
    package = tmp_path / "tavus_async"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))

    add_the_family(package)

    touched = changed_files(PACKAGE, package)
    assert touched == {
        "types/sketches.py",
        "resources/sketches.py",
        "testing/_routes/sketches.py",
        "_client.py",
        "__init__.py",
        "_exceptions.py",
    }
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONWARNINGS": "error"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    sketch_id = seen["created"][1]
    assert seen["created"] == [True, sketch_id]
    assert seen["waited"] == ["done", 1.0]
    assert seen["listed"] == [sketch_id]
    assert seen["raw"] == [200, True]
    assert seen["create_and_wait"] == "done"
    assert seen["failed"] == ["SketchError", "The pencil broke"]
    assert len(seen["jobs"]) == 3
    assert seen["callbacks"] == [1, [200]]
    assert seen["parsed"] == ["Sketch", "s1"]
    assert seen["serialised"] == [{"sketch_id": "s1", "status": "done"}, True]
    assert seen["cli"] == [[0, 0], "done", True]
    assert seen["exports"] == ["Sketch", "SketchStatus", "SketchError"]
