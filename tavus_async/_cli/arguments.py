"""Argument types and poll options that several commands share (argparse only, no rich)."""

from __future__ import annotations

import argparse

import attrs

from ..waiting.policy import PollPolicy

__all__ = ["at_least_one", "not_negative", "poll_options", "poll_policy", "positive"]


def positive(text: str) -> float:
    """A finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, got {text}")
    return value


def not_negative(text: str) -> float:
    """A finite number, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number, 0 or more, got {text}")
    return value


def at_least_one(text: str) -> int:
    """A whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def poll_options(parser: argparse.ArgumentParser) -> None:
    """``--poll`` and ``--timeout``, for every command that waits."""
    parser.add_argument("--poll", type=positive, help="seconds between polls (default: backoff)")
    parser.add_argument("--timeout", type=positive, help="give up after this many seconds")


def poll_policy(args: argparse.Namespace, default: PollPolicy) -> PollPolicy | None:
    """The policy ``--poll`` / ``--timeout`` ask for, or None for the SDK's default."""
    poll, timeout = getattr(args, "poll", None), getattr(args, "timeout", None)
    if poll is None and timeout is None:
        return None
    deadline: float = timeout if timeout is not None else default.timeout
    if poll is None:
        return attrs.evolve(default, timeout=deadline)
    return PollPolicy(initial=poll, maximum=poll, timeout=deadline)
