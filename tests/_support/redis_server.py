"""A real redis-server for the relay's tests: started on a free loopback port, stopped,
killed and started again on the same port.

``.ci/run`` installs Debian's ``redis-server`` and requires these tests
(``TAVUS_TEST_REQUIRE_REDIS=1``); elsewhere they are skipped when no ``redis-server`` is
on the PATH (``REDIS_SERVER`` names another binary).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

STARTUP_BOUND = 10.0  # seconds a redis-server may take to answer PING


def redis_binary() -> str:
    """The redis-server to run; skipped (failed, where CI requires it) when there is none."""
    binary = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if binary is None:
        reason = "no redis-server on the PATH (Debian: apt-get install redis-server)"
        if os.environ.get("TAVUS_TEST_REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class RedisServer:
    """One redis-server process on 127.0.0.1, nothing saved to disk."""

    def __init__(self, binary: str, port: int | None = None) -> None:
        self.binary = binary
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it and return once it answers PING."""
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + STARTUP_BOUND
        while not self.answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("redis-server did not answer PING in time")
            time.sleep(0.01)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """Kill it at once (SIGKILL): every connection drops, as in a crash."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait()
