"""A conversation end to end: make a persona, open a conversation, wait for its end and
save its transcript.

Run it from the repository root:

    python examples/conversation_transcripts.py

With TAVUS_API_KEY set it talks to Tavus: it prints the room's url (join it to talk to
the replica; the call ends when you leave, or after two minutes), and it bills the call.
Without it, it runs against FakeTavus, the in-process emulator, where the call lasts a
few seconds. TAVUS_REPLICA_ID picks the replica; otherwise the first stock (``system``)
replica is used. The transcript lands in ./out/<conversation_id>.txt, a ``role: content``
line per message.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from tavus_async import Conversation, PollPolicy, TavusClient, TranscriptMessage
from tavus_async.testing import Timing, real_or_fake

SYSTEM_PROMPT = (
    "You are Rio, a friendly interviewer. Ask the user about their week, one question at a "
    "time, and keep your answers short."
)
GREETING = "Hi, I'm Rio! How has your week been?"
#: Long enough for a short chat; Tavus ends the call by itself then.
MAX_CALL_SECONDS = 120
#: Polls a few seconds apart, then every 15 s: fine for a two-minute call, and for FakeTavus.
POLICY = PollPolicy(initial=2, maximum=15, timeout=2 * 3600)
#: FakeTavus's call: the replica joins at once, the call lasts 5 s, the transcript 1 s later.
EMULATOR_TIMING = Timing(conversation_joining=0.5, conversation_length=5, transcript_delay=1)


async def pick_replica(tavus: TavusClient) -> str:
    """TAVUS_REPLICA_ID, or the first stock replica of the account."""
    if replica_id := os.environ.get("TAVUS_REPLICA_ID"):
        return replica_id
    async for replica in tavus.replicas.iter(replica_type="system"):
        return replica.replica_id
    raise SystemExit("no stock replica found: set TAVUS_REPLICA_ID")


def show(conversation: Conversation) -> None:
    print(f"{conversation.conversation_id}: {conversation.status}", flush=True)


def as_text(messages: list[TranscriptMessage]) -> str:
    """The transcript as ``role: content`` lines."""
    return "".join(f"{message.role}: {message.content}\n" for message in messages)


async def main(tavus: TavusClient, *, policy: PollPolicy = POLICY) -> Path:
    """Talk to a new persona and save the transcript; return the file's path."""
    persona = await tavus.personas.create(
        persona_name="Rio the interviewer",
        system_prompt=SYSTEM_PROMPT,
        default_replica_id=await pick_replica(tavus),
    )
    conversation = await tavus.conversations.create(
        persona_id=persona.persona_id,
        conversation_name="A chat with Rio",
        custom_greeting=GREETING,
        properties={"max_call_duration": MAX_CALL_SECONDS},
    )
    print(f"join the call: {conversation.conversation_url}", flush=True)
    ended = await tavus.conversations.wait(
        conversation.conversation_id, policy=policy, on_update=show
    )
    print(f"ended: {ended.ended_because or 'no reason given'}", flush=True)
    messages = await tavus.conversations.wait_for_transcript(
        conversation.conversation_id, policy=policy
    )
    path = Path("out") / f"{conversation.conversation_id}.txt"
    await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(path.write_text, as_text(messages), encoding="utf-8")
    print(f"saved {len(messages)} messages to {path}", flush=True)
    return path


async def run() -> None:
    async with real_or_fake(timing=EMULATOR_TIMING) as tavus:
        await main(tavus)


if __name__ == "__main__":
    asyncio.run(run())
