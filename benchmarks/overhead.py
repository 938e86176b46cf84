"""Per-call overhead: ``videos.get`` through TavusClient vs the floor, bare aiohttp, httpx.

A minimal aiohttp.web server, in a separate process on 127.0.0.1, answers
``GET /v2/videos/{id}`` with one fixed video object (every documented field, ~1 KB,
pre-encoded). Four clients fetch it at concurrency 1 and 64, with keep-alive and warmed
up first:

- the SDK: ``await tavus.videos.get(id)``, a typed, frozen ``Video``;
- the floor: the least any client can do for the same result, a bare aiohttp
  ``ClientSession.get`` + ``json.loads(await response.read())`` + the public
  ``Video.from_dict`` (the same frozen model, built the same way);
- bare aiohttp: ``ClientSession.get`` + ``json()``, a dict and no model;
- httpx: ``AsyncClient.get`` + ``json()``, a dict and no model.

The SDK decodes bodies with orjson when the ``[orjson]`` extra is installed (the footer
says which); the floor always uses ``json.loads``.

They take turns in rounds (each round runs every client once for a fixed time, the order
rotating), so that the machine's noise hits all four alike. The tables give each client's
median requests per second and its median CPU time per request in this process (the
server's is not in it): the second is the steadier measure of what the SDK adds on a busy
machine. A last line gives the median of each round's own SDK / floor ratios, which a
load that shifts during the run disturbs less than a ratio of two medians.

Target: the SDK at >= 0.95 x the floor's rate at both concurrencies. The ratio to bare
aiohttp (which builds no model) is reported beside it.

    python benchmarks/overhead.py                  # exit 1 if the target is missed
    python benchmarks/overhead.py --smoke          # ~2 s: it still works; never fails
    python benchmarks/overhead.py --profile 5000   # the SDK alone under cProfile
    python benchmarks/overhead.py --profile 20000 --concurrency 64 --client floor
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import aiohttp
import attrs
from aiohttp import web

TARGET = 0.95
CONCURRENCIES = (1, 64)
NAMES = ("SDK", "floor", "aiohttp", "httpx")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "tvs-benchmark-key"
VIDEO_ID = "8a4f3c2b1d"
VIDEO = {
    "video_id": VIDEO_ID,
    "video_name": "Quarterly update for the sales team",
    "status": "ready",
    "replica_id": "r783537ef5",
    "data": {"script": "Hello from Python! This is the quarterly update for the sales team."},
    "download_url": f"https://cdn.replica.tavus.io/videos/{VIDEO_ID}/download.mp4?sig=9f8e7d6c",
    "stream_url": f"https://stream.mux.com/{VIDEO_ID}Xq4Zt01mLwz7Bv.m3u8",
    "hosted_url": f"https://videos.tavus.io/video/{VIDEO_ID}",
    "status_details": "Your request has processed successfully!",
    "generation_progress": "100/100",
    "background_url": "https://www.example.com/pricing",
    "background_source_url": "https://cdn.example.com/backgrounds/office-loop.mp4",
    "error_details": None,
    "created_at": "2024-01-24T07:14:03.327Z",
    "updated_at": "Mon, 14 Jul 2025 09:14:24 GMT",
    "still_image_thumbnail_url": f"https://cdn.replica.tavus.io/thumbnails/{VIDEO_ID}.png",
    "gif_thumbnail_url": f"https://cdn.replica.tavus.io/thumbnails/{VIDEO_ID}.gif",
}
BODY = json.dumps(VIDEO).encode()

Fetch = Callable[[], Awaitable[object]]


@attrs.frozen
class Run:
    per_second: float
    cpu_us: float  # this process's CPU time per request: the client's own cost


def serve() -> None:
    """The server process: print the port, answer until the parent closes our stdin."""

    async def video(request: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="application/json")

    async def run() -> None:
        app = web.Application()
        app.router.add_get("/v2/videos/{video_id}", video)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        print(runner.addresses[0][1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await runner.cleanup()

    asyncio.run(run())


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Run ``serve()`` in a child process; its base url. The child always ends with us."""
    child = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        port = child.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"the server process did not start (said {port!r})")
        yield f"http://127.0.0.1:{port}"
    finally:
        child.stdin.close()  # EOF: the server shuts down (it would also if we were killed)
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


@contextlib.asynccontextmanager
async def clients(base: str, connections: int) -> AsyncIterator[dict[str, Fetch]]:
    """The four clients, each with a keep-alive pool of ``connections``, as fetchers."""
    import httpx

    from tavus_async import TavusClient, Video

    url = f"{base}/v2/videos/{VIDEO_ID}"
    headers = {"x-api-key": KEY, "Accept": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with (
        TavusClient(KEY, base_url=base, max_connections=connections) as tavus,
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections), headers=headers
        ) as session,
        httpx.AsyncClient(headers=headers, limits=limits) as hx,
    ):

        async def sdk() -> object:
            return (await tavus.videos.get(VIDEO_ID)).video_id

        async def floor() -> object:
            async with session.get(url) as response:
                return Video.from_dict(json.loads(await response.read())).video_id

        async def bare() -> object:
            async with session.get(url) as response:
                return (await response.json())["video_id"]

        async def with_httpx() -> object:
            return (await hx.get(url)).json()["video_id"]

        yield dict(zip(NAMES, (sdk, floor, bare, with_httpx), strict=True))


async def rate(fetch: Fetch, concurrency: int, seconds: float) -> Run:
    """``concurrency`` tasks each looping ``fetch`` for ``seconds``: requests per second."""
    deadline = time.perf_counter() + seconds

    async def loop() -> int:
        done = 0
        while time.perf_counter() < deadline:
            await fetch()
            done += 1
        return done

    started, cpu = time.perf_counter(), time.process_time()
    requests = sum(await asyncio.gather(*(loop() for _ in range(concurrency))))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Run(requests / elapsed, 1e6 * cpu / requests)


async def measure(
    base: str, rounds: int, seconds: float, warmup: float
) -> dict[int, dict[str, list[Run]]]:
    """Each client's rate in every round, per concurrency."""
    results: dict[int, dict[str, list[Run]]] = {}
    async with clients(base, max(CONCURRENCIES)) as fetchers:
        for name, fetch in fetchers.items():
            if await fetch() != VIDEO_ID:
                raise RuntimeError(f"{name} did not read the video back")
        for concurrency in CONCURRENCIES:
            for fetch in fetchers.values():  # opens the connections, fills caches
                await rate(fetch, concurrency, warmup)
            results[concurrency] = {name: [] for name in NAMES}
            for n in range(rounds):
                turn = n % len(NAMES)
                for name in NAMES[turn:] + NAMES[:turn]:
                    runs = results[concurrency][name]
                    runs.append(await rate(fetchers[name], concurrency, seconds))
    return results


async def profile(
    base: str, requests: int, concurrency: int, client: str
) -> tuple[cProfile.Profile, float]:
    """One client alone: ``requests`` calls under cProfile, ``concurrency`` at a time."""
    async with clients(base, max(CONCURRENCIES)) as fetchers:
        fetch = fetchers[client]
        await rate(fetch, concurrency, 0.5)  # opens the connections, fills caches

        async def loop(calls: int) -> None:
            for _ in range(calls):
                await fetch()

        share, rest = divmod(requests, concurrency)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        await asyncio.gather(*(loop(share + (n < rest)) for n in range(concurrency)))
        profiler.disable()
        elapsed = time.perf_counter() - started
    return profiler, elapsed


def print_profile(
    profiler: cProfile.Profile, elapsed: float, requests: int, concurrency: int, client: str
) -> None:
    """The top 25 functions by cumulative and by own time, in microseconds per request."""
    print(
        f"{requests} calls by {client} at concurrency {concurrency}: "
        f"{1e6 * elapsed / requests:.0f} us of wall time each, profiled"
    )
    print("(per request; a coroutine counts one call per resumption)")
    roots = [sysconfig.get_path("purelib"), sysconfig.get_path("stdlib"), ROOT]
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    for title, column in (("cumulative", 3), ("own (total)", 2)):
        print(f"\ntop 25 by {title} time\n| us cumulative | us own | calls | function |")
        print("|---|---|---|---|")
        for (file, line, func), row in sorted(stats.items(), key=lambda kv: -kv[1][column])[:25]:
            root = next((r for r in roots if file.startswith(r)), None)
            where = f"{os.path.relpath(file, root) if root else file}:{line}({func})"
            us_cum, us_own = 1e6 * row[3] / requests, 1e6 * row[2] / requests
            print(f"| {us_cum:.1f} | {us_own:.1f} | {row[1] / requests:g} | {where} |")


def report(results: dict[int, dict[str, list[Run]]], rounds: int, seconds: float) -> bool:
    """Print the tables and the target line; whether the target was met."""
    import httpx

    print(
        "| concurrency | SDK req/s | floor req/s | aiohttp req/s | httpx req/s "
        "| SDK / floor | SDK / aiohttp | httpx / aiohttp |"
    )
    print("|---|---|---|---|---|---|---|---|")
    met, cpu_rows = True, []
    for c, runs in results.items():
        sdk, low, bare, hx = (statistics.median(r.per_second for r in runs[n]) for n in NAMES)
        met = met and sdk / low >= TARGET
        print(
            f"| {c} | {sdk:,.0f} | {low:,.0f} | {bare:,.0f} | {hx:,.0f} "
            f"| {sdk / low:.2f} | {sdk / bare:.2f} | {hx / bare:.2f} |"
        )
        sdk, low, bare, hx = (statistics.median(r.cpu_us for r in runs[n]) for n in NAMES)
        cpu_rows.append(
            f"| {c} | {sdk:.1f} | {low:.1f} | {bare:.1f} | {hx:.1f} "
            f"| {sdk - low:+.1f} | {sdk - bare:+.1f} | {low / sdk:.2f} |"
        )
    print(
        "\n| concurrency | client CPU us/req: SDK | floor | aiohttp | httpx "
        "| SDK - floor | SDK - aiohttp | floor / SDK |"
    )
    print("|---|---|---|---|---|---|---|---|", *cpu_rows, sep="\n")
    print(
        f"\nmedians of {rounds} rounds of {seconds:g} s per client; Python "
        f"{platform.python_version()}, aiohttp {aiohttp.__version__}, httpx "
        f"{httpx.__version__}, {os.cpu_count()} CPUs, server in its own process; the SDK "
        f"decoded bodies with {decoder()}"
    )
    print(
        "(floor: bare aiohttp + json.loads + Video.from_dict; floor / SDK in CPU is the rate"
        " ratio a CPU-bound client would see)"
    )
    # A round's clients run back to back, under much the same load: the median of the
    # rounds' own ratios is steadier than a ratio of medians when the load shifts.
    paired = ", ".join(
        f"{paired_ratio(runs, 'per_second')} (CPU {paired_ratio(runs, 'cpu_us', inverse=True)})"
        f" at {c}"
        for c, runs in results.items()
    )
    print(f"SDK / floor, median of the rounds' own ratios: {paired}")
    print(f"target: SDK >= {TARGET} x floor at both concurrencies: {'met' if met else 'MISSED'}")
    return met


def paired_ratio(runs: dict[str, list[Run]], field: str, *, inverse: bool = False) -> str:
    """The median over rounds of SDK / floor (floor / SDK with ``inverse``) in ``field``."""
    pairs = zip(runs["SDK"], runs["floor"], strict=True)
    ratios = [getattr(sdk, field) / getattr(low, field) for sdk, low in pairs]
    return f"{statistics.median(1 / r if inverse else r for r in ratios):.2f}"


def decoder() -> str:
    """What the SDK decodes bodies with: orjson when the [orjson] extra is installed."""
    import importlib.util

    return "orjson" if importlib.util.find_spec("orjson") else "json.loads"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=0.3, help="per client and round")
    parser.add_argument("--smoke", action="store_true", help="~2 s; never fails on the ratio")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N calls of one client")
    parser.add_argument("--concurrency", type=int, default=1, help="with --profile")
    parser.add_argument("--client", choices=NAMES, default="SDK", help="with --profile")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    rounds, seconds, warmup = (2, 0.05, 0.05) if args.smoke else (args.rounds, args.seconds, 0.5)
    with server() as base:
        if args.profile:
            run = profile(base, args.profile, args.concurrency, args.client)
            print_profile(*asyncio.run(run), args.profile, args.concurrency, args.client)
            return 0
        results = asyncio.run(measure(base, rounds, seconds, warmup))
    met = report(results, rounds, seconds)
    return 0 if met or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
