"""``tavus-async demo``: a whole replica-to-video run on the embedded FakeTavus.

No key, no network: it starts the emulator in-process, trains a replica, renders the
videos of ``examples/videos.csv`` concurrently with live progress, downloads them, and
meanwhile holds a conversation with the replica (a persona, a call, its end and its
transcript, saved next to the videos); then it prints a summary. Time is compressed:
the run takes seconds (``speed`` compresses it further; the tests run it on a
ManualClock, in no time at all).
"""

from __future__ import annotations

import asyncio
import csv
import io
from importlib import resources
from pathlib import Path

import attrs
from rich.console import Console
from rich.table import Table

from .. import Conversation, PollPolicy, TavusClient, TavusError, Video, VideoStatus
from ..testing import FakeTavus, ManualClock, Timing
from .output import Display

__all__ = ["DemoRow", "demo_rows", "run_demo"]

_CHECKOUT_CSV = Path(__file__).resolve().parents[2] / "examples" / "videos.csv"


@attrs.frozen(kw_only=True)
class DemoRow:
    """One video of the demo: its name and the script the replica speaks."""

    video_name: str
    script: str


def demo_rows() -> list[DemoRow]:
    """The rows of ``examples/videos.csv`` (shipped inside the wheel, or from a checkout)."""
    packaged = resources.files("tavus_async").joinpath("_examples/videos.csv")
    text = packaged.read_text("utf-8") if packaged.is_file() else _CHECKOUT_CSV.read_text("utf-8")
    return [
        DemoRow(video_name=r["video_name"], script=r["script"])
        for r in csv.DictReader(io.StringIO(text))
    ]


@attrs.define
class _Outcome:
    row: DemoRow
    video: Video | None = None
    error: str | None = None
    seconds: float = 0.0
    path: Path | None = None
    size: int = 0


async def run_demo(
    *,
    out_dir: Path,
    speed: float = 1.0,
    clock: ManualClock | None = None,
    console: Console | None = None,
) -> int:
    """Run the demo; 0 when every video was rendered and saved, 1 otherwise."""
    console = console or Console()
    timing = Timing(
        replica_training=4.0 / speed,
        video_queue=0.5 / speed,
        video_rendering=3.0 / speed,
        conversation_joining=0.5 / speed,
        conversation_length=2.5 / speed,
        transcript_delay=0.5 / speed,
    )
    policy = PollPolicy(
        initial=0.2 / speed, maximum=0.5 / speed, jitter=0.1 / speed, timeout=120 / min(speed, 1)
    )
    rows = demo_rows()
    async with FakeTavus(timing=timing, clock=clock) as fake, fake.client() as tavus:
        console.print(
            f"[bold]tavus-async demo[/] on FakeTavus at {fake.base_url}: no key, no network"
        )
        with Display(console) as display:
            replica = await tavus.replicas.create(
                train_video_url="https://example.com/rio-training.mp4", replica_name="Rio"
            )
            show = display.track("train replica Rio")
            replica = await tavus.replicas.wait(
                replica.replica_id,
                policy=policy,
                on_update=lambda r: show(str(r.status), r.progress),
            )
            call = _Call()
            outcomes, _ = await asyncio.gather(
                asyncio.gather(
                    *(
                        _render(tavus, fake, replica.replica_id, row, policy, display, out_dir)
                        for row in rows
                    )
                ),
                _converse(tavus, replica.replica_id, policy, display, out_dir, call),
            )
    console.print(_summary(outcomes))
    failed = [o for o in outcomes if o.error]
    console.print(f"{len(outcomes) - len(failed)} of {len(outcomes)} videos saved in {out_dir}/")
    if call.error or call.conversation is None:
        console.print(f"the conversation failed: {call.error}")
        return 1
    console.print(
        f"conversation {call.conversation.conversation_id} ended "
        f"({call.conversation.ended_because}); its transcript is in {call.path}:"
    )
    for line in call.lines:
        console.print(f"  {line}", markup=False, highlight=False)
    return 1 if failed else 0


@attrs.define
class _Call:
    conversation: Conversation | None = None
    lines: list[str] = attrs.Factory(list)
    path: Path | None = None
    error: str | None = None


async def _converse(
    tavus: TavusClient,
    replica_id: str,
    policy: PollPolicy,
    display: Display,
    out_dir: Path,
    call: _Call,
) -> None:
    """A persona for the replica, a call with it, its end and its transcript, saved."""
    try:
        persona = await tavus.personas.create(
            persona_name="Rio, the host",
            system_prompt="You are Rio. You welcome new customers in one or two sentences.",
            default_replica_id=replica_id,
        )
        conversation = await tavus.conversations.create(
            persona_id=persona.persona_id,
            conversation_name="welcome call",
            custom_greeting="Hi, I'm Rio! Welcome aboard.",
        )
        show = display.track("call with Rio")
        call.conversation = await tavus.conversations.wait(
            conversation.conversation_id,
            policy=policy,
            on_update=lambda c: show(str(c.status), c.progress),
        )
        transcript = await tavus.conversations.wait_for_transcript(
            conversation.conversation_id, policy=policy
        )
        call.lines = [f"{message.role}: {message.content}" for message in transcript]
        call.path = out_dir / "welcome-call.txt"
        await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(call.path.write_text, "\n".join(call.lines) + "\n", "utf-8")
    except (TavusError, OSError) as exc:  # the videos go on; the demo says what failed
        call.error = str(exc)


async def _render(
    tavus: TavusClient,
    fake: FakeTavus,
    replica_id: str,
    row: DemoRow,
    policy: PollPolicy,
    display: Display,
    out_dir: Path,
) -> _Outcome:
    outcome = _Outcome(row)
    started = fake.clock()
    video = await tavus.videos.create(
        replica_id=replica_id, script=row.script, video_name=row.video_name
    )
    show = display.track(row.video_name)
    async for state in tavus.videos.watch(video.video_id, policy=policy):
        show(str(state.status), state.progress)
        video = state
    outcome.video, outcome.seconds = video, fake.clock() - started
    if video.status != VideoStatus.READY:
        outcome.error = video.status_details or str(video.status)
        return outcome
    try:
        outcome.path = await tavus.videos.download(video, out_dir / f"{row.video_name}.mp4")
        outcome.size = (await asyncio.to_thread(outcome.path.stat)).st_size
    except (TavusError, OSError) as exc:  # one video's trouble must not end the others
        outcome.error = f"not saved: {exc}"
    return outcome


def _summary(outcomes: list[_Outcome]) -> Table:
    table = Table(title="Rendered with tavus-async")
    for column in ("video", "video_id", "status", "render s", "size", "file"):
        numeric = column in ("render s", "size")
        # Fold, never "…": the table must print on any console encoding and width.
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for o in outcomes:
        table.add_row(
            o.row.video_name,
            o.video.video_id if o.video else "-",
            str(o.video.status) if o.video else "-",
            f"{o.seconds:.1f}",
            f"{o.size / 1024:.0f} KiB" if o.size else "-",
            str(o.path) if o.path else (o.error or "-"),
        )
    return table
