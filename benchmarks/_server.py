"""A tiny Tavus-like server for the benchmarks, run in its own process on loopback.

``GET /v2/videos/{id}`` answers ``generating`` until the video is ready, then ``ready``
with a ``download_url``. A video is ready ``--ready-after`` seconds after its id was first
seen, or at its ``--ready-polls``-th poll when that is given. Every request's arrival time
(``time.monotonic()``, which is system-wide on Linux, so the client can compare) is kept;
``GET /stats`` returns them with a flag for each id's first poll.

It prints its port on stdout, then serves until its stdin closes (the parent exited or
closed the pipe) or it gets SIGTERM: the benchmark's process never leaves it behind.
Benchmarks start it with ``running_server()``::

    with running_server(ready_after=3.0) as server:
        ...  # server.url, server.stats()

    python benchmarks/_server.py --ready-after 3    # by hand: prints the port
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs


@attrs.frozen
class Stats:
    """Arrival times of the polls (monotonic seconds) and which were an id's first."""

    times: list[float]
    first: list[bool]
    cpu: float  # the server process's CPU seconds so far


@attrs.frozen
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def stats(self) -> Stats:
        with urllib.request.urlopen(f"{self.url}/stats", timeout=60) as response:
            data = json.loads(response.read())
        return Stats(data["times"], [bool(f) for f in data["first"]], data["cpu"])


@contextlib.contextmanager
def running_server(*, ready_after: float = 3.0, ready_polls: int = 0) -> Iterator[Server]:
    """Start the server in a child process; always stop it (terminate, then kill)."""
    command = [sys.executable, str(Path(__file__).resolve()), f"--ready-after={ready_after}"]
    if ready_polls:
        command.append(f"--ready-polls={ready_polls}")
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode().strip()
        if not line.isdigit():
            raise RuntimeError(f"the benchmark server did not start (said {line!r})")
        yield Server(url=f"http://127.0.0.1:{line}", process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()


async def serve(ready_after: float, ready_polls: int) -> None:
    from aiohttp import web

    first_seen: dict[str, float] = {}
    polls: dict[str, int] = {}
    times = array("d")
    first = bytearray()
    monotonic = time.monotonic

    async def video(request: web.Request) -> web.Response:
        now = monotonic()
        video_id = request.match_info["id"]
        times.append(now)
        seen = first_seen.get(video_id)
        if seen is None:
            first_seen[video_id] = seen = now
            first.append(1)
        else:
            first.append(0)
        count = polls[video_id] = polls.get(video_id, 0) + 1
        ready = count >= ready_polls if ready_polls else now - seen >= ready_after
        if ready:
            body = (
                f'{{"video_id":"{video_id}","status":"ready",'
                f'"download_url":"https://cdn.example/{video_id}.mp4"}}'
            )
        else:
            done = 99 if ready_polls else min(99, int(100 * (now - seen) / ready_after))
            body = (
                f'{{"video_id":"{video_id}","status":"generating",'
                f'"generation_progress":"{done}/100"}}'
            )
        return web.Response(text=body, content_type="application/json")

    async def stats(_: web.Request) -> web.Response:
        data: dict[str, Any] = {
            "times": times.tolist(),
            "first": list(first),
            "cpu": time.process_time(),
        }
        return web.Response(text=json.dumps(data), content_type="application/json")

    app = web.Application()
    app.router.add_get("/v2/videos/{id}", video)
    app.router.add_get("/stats", stats)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock, backlog=4096).start()
    print(sock.getsockname()[1], flush=True)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)

    def parent_said() -> None:
        if not os.read(sys.stdin.fileno(), 4096):  # EOF: the parent is gone or done
            stop.set()

    loop.add_reader(sys.stdin.fileno(), parent_said)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ready-after", type=float, default=3.0, help="seconds after 1st poll")
    parser.add_argument("--ready-polls", type=int, default=0, help="ready at this poll (0: off)")
    args = parser.parse_args()
    asyncio.run(serve(args.ready_after, args.ready_polls))


if __name__ == "__main__":
    main()
