"""How the command line says why it failed: one line on stderr, for people or for programs.

Without ``--json`` the line is ``tavus-async: error: ...``. With it, the last line on
stderr is one JSON object, ``{"error": ..., "status": ..., "request_id": ...}``: ``status``
and ``request_id`` are Tavus's for an API error and null for anything else. Never a
traceback. (argparse only; no rich.)
"""

from __future__ import annotations

import json
import sys

from .._exceptions import APIError

__all__ = ["report_error"]


def report_error(error: BaseException | str, *, json_mode: bool) -> None:
    """Print ``error`` (an exception, or the words to say) as the command's last line on stderr."""
    message = str(error)
    if not json_mode:
        print(f"tavus-async: error: {message}", file=sys.stderr)
        return
    api = error if isinstance(error, APIError) else None
    line = {
        "error": message,
        "status": api.status if api is not None else None,
        "request_id": api.request_id if api is not None else None,
    }
    # ASCII escapes: the line stays valid JSON on any console encoding.
    print(json.dumps(line), file=sys.stderr, flush=True)
