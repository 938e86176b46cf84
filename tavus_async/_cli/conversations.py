"""``tavus-async conversations``: the generic commands, ``list --status``, ``create``,
``end`` and ``transcript``."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..resources.conversations import TRANSCRIPT_GRACE
from .arguments import at_least_one, not_negative, poll_options, poll_policy
from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "create, list, follow, end conversations; print their transcripts"


def add_commands(actions: Actions) -> None:
    """``list --status``, ``create``, ``end`` and ``transcript``."""
    actions.choices["list"].add_argument("--status", help="only active or ended conversations")
    create = actions.add_parser("create", help="open a conversation room with a replica")
    create.add_argument("--replica-id", help="default: the persona's default_replica_id")
    create.add_argument("--persona-id")
    create.add_argument("--name", help="conversation_name")
    create.add_argument("--context", help="conversational_context, added to the persona's")
    create.add_argument("--greeting", help="custom_greeting, instead of the persona's")
    create.add_argument("--callback-url")
    create.add_argument(
        "--memory-store", action="append", help="a memory store to use (repeatable)"
    )
    create.add_argument("--document-id", action="append", help="a document to use (repeatable)")
    create.add_argument("--document-tag", action="append", help="documents of a tag (repeatable)")
    create.add_argument(
        "--document-retrieval-strategy", help="speed, quality or balanced (Tavus's default)"
    )
    # Each flag is sent only when given, as true or (--no-...) false.
    for flag, what in (
        ("--audio-only", "a voice-only conversation"),
        ("--test-mode", "create it ended: no replica joins, no cost"),
        ("--require-auth", "a private room (answers a meeting_token)"),
    ):
        create.add_argument(
            flag, action=argparse.BooleanOptionalAction, help=f"{what} (default: Tavus's)"
        )
    create.add_argument("--max-participants", type=at_least_one, help="2 or more")
    create.add_argument(
        "--properties",
        metavar="JSON",
        help="the call's settings as JSON ('{\"max_call_duration\": 600}'), or @FILE",
    )
    end = actions.add_parser("end", help="end a conversation (harmless if it has ended)")
    end.add_argument("id")
    transcript = actions.add_parser(
        "transcript",
        help="wait for a conversation's transcript, then print it (role: content lines)",
        description="Wait until Tavus has saved the conversation's transcript (shortly after "
        "its end), then print one 'role: content' line per message; with --json, one JSON "
        "object per message.",
    )
    transcript.add_argument("id")
    transcript.add_argument(
        "--grace",
        type=not_negative,
        help="seconds to keep waiting once it has ended without a transcript (default 600)",
    )
    poll_options(transcript)


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``status`` from ``list --status``."""
    return {"status": args.status}


async def _properties(text: str | None) -> dict[str, Any] | None:
    """``--properties``: JSON text, or ``@FILE`` holding it; a usage error otherwise."""
    if text is None:
        return None
    source = "--properties"
    if text.startswith("@"):
        source = f"--properties {text}"
        try:
            text = await asyncio.to_thread(Path(text[1:]).read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # before any request: a usage error
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ValueError(f"{source}: {reason}") from None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{source} is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{source} must be a JSON object")
    return value


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    conversation = await tavus.conversations.create(
        replica_id=args.replica_id,
        persona_id=args.persona_id,
        conversation_name=args.name,
        conversational_context=args.context,
        custom_greeting=args.greeting,
        callback_url=args.callback_url,
        memory_stores=args.memory_store,
        document_ids=args.document_id,
        document_tags=args.document_tag,
        document_retrieval_strategy=args.document_retrieval_strategy,
        audio_only=args.audio_only,
        test_mode=args.test_mode,
        require_auth=args.require_auth,
        max_participants=args.max_participants,
        properties=await _properties(args.properties),
    )
    output.job(conversation)
    return 0


async def _end(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.conversations.end(args.id)
    output.record({"conversation_id": args.id, "ended": True})
    return 0


async def _transcript(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    """Follow the conversation as ``wait`` does, then print its transcript."""
    from rich.markup import escape

    from .output import Display

    conversations = tavus.conversations
    policy = poll_policy(args, conversations.default_policy)
    with Display(output.console, live=None if not output.json_mode else False) as display:
        show = display.track(f"conversation {args.id}")

        def update(conversation: Any) -> None:
            if not output.json_mode:
                saved = conversation.event("application.transcription_ready") is not None
                show(
                    f"{conversation.status}{', transcript' if saved else ''}", conversation.progress
                )

        grace = TRANSCRIPT_GRACE if args.grace is None else args.grace
        messages = await conversations.wait_for_transcript(
            args.id, policy=policy, on_update=update, grace=grace
        )
    for message in messages:
        if output.json_mode:
            output.record(message.to_dict())
        else:
            output.console.print(escape(f"{message.role}: {message.content}"), highlight=False)
    return 0


COMMANDS: dict[str, Command] = {"create": _create, "end": _end, "transcript": _transcript}
