"""``tavus-async faces``: the generic commands, ``list`` filters and ``create``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "create, list, follow faces (the current name of replicas)"


def add_commands(actions: Actions) -> None:
    """``list --type/--model-name/--verbose`` and ``create``."""
    listing = actions.choices["list"]
    listing.add_argument("--type", help="only user or system (stock) faces")
    listing.add_argument("--model-name", help="only faces of this model, e.g. phoenix-4")
    listing.add_argument("--verbose", action="store_true", help="include face_type")
    create = actions.add_parser("create", help="start training a face")
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--train-video-url", help="public link to the training video")
    source.add_argument("--train-image-url", help="public link to a photo (needs --voice-name)")
    create.add_argument("--voice-name", help="a stock voice (needed with a photo)")
    create.add_argument(
        "--auto-fix-training-image", action="store_true", help="let Tavus mend the photo"
    )
    create.add_argument("--name", help="face_name")
    create.add_argument("--model-name", help="default: Tavus's (phoenix-4)")
    create.add_argument("--callback-url")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``face_type``, ``model_name`` and ``verbose`` from the list's options."""
    return {"face_type": args.type, "model_name": args.model_name, "verbose": args.verbose}


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    face = await tavus.faces.create(
        train_video_url=args.train_video_url,
        train_image_url=args.train_image_url,
        voice_name=args.voice_name,
        auto_fix_training_image=args.auto_fix_training_image or None,
        face_name=args.name,
        model_name=args.model_name,
        callback_url=args.callback_url,
    )
    output.job(face)
    return 0


COMMANDS: dict[str, Command] = {"create": _create}
