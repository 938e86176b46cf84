"""A replica's waits: training that fails raises ReplicaTrainingError, wait_many reports each."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import Replica, ReplicaStatus, ReplicaTrainingError, TavusClient

from _support.emulator import QUICK
from _support.http import BASE
from _support.waits import POLICY, collect


async def test_replica_wait_raises_training_error(tavus: TavusClient) -> None:
    """A replica that fails training makes wait raise with Tavus's error message."""
    replica = await tavus.replicas.create(train_video_url="https://x/tavus-fail.mp4")
    with pytest.raises(ReplicaTrainingError, match="minimum duration") as caught:
        await tavus.replicas.wait(replica.replica_id, policy=QUICK)
    assert caught.value.job.replica_id == replica.replica_id


async def test_replicas_wait_many_reports_trained_and_failed(
    timed_client: TavusClient, http: Any
) -> None:
    """replicas.wait_many gives a trained replica ok and a failed one its ReplicaTrainingError."""
    http.get(f"{BASE}/v2/replicas/r1", payload={"replica_id": "r1", "status": "completed"})
    http.get(
        f"{BASE}/v2/replicas/r2",
        payload={"replica_id": "r2", "status": "error", "error_message": "too short"},
    )

    outcomes = await collect(timed_client.replicas.wait_many(["r1", "r2"], policy=POLICY))

    by_id = {o.id: o for o in outcomes}
    assert len(outcomes) == 2
    assert by_id["r1"].ok
    assert isinstance(by_id["r1"].result, Replica)
    assert by_id["r1"].result.status == ReplicaStatus.COMPLETED
    assert not by_id["r2"].ok
    assert isinstance(by_id["r2"].result, Replica)
    assert isinstance(by_id["r2"].error, ReplicaTrainingError)
    assert "too short" in str(by_id["r2"].error)


async def test_create_and_wait_trains_the_replica_with_one_create(tavus: TavusClient) -> None:
    """create_and_wait creates the replica once and returns it trained."""
    seen: list[str] = []

    replica = await tavus.replicas.create_and_wait(
        train_video_url="https://cdn.example.com/train.mp4",
        replica_name="Rio",
        policy=QUICK,
        on_update=lambda r: seen.append(str(r.status)),
    )

    assert (replica.status, replica.replica_name) == (ReplicaStatus.COMPLETED, "Rio")
    assert seen[0] == "started"
    assert seen[-1] == "completed"


async def test_create_and_wait_raises_the_training_error(tavus: TavusClient) -> None:
    """A replica whose training fails makes create_and_wait raise ReplicaTrainingError."""
    with pytest.raises(ReplicaTrainingError, match="minimum duration"):
        await tavus.replicas.create_and_wait(
            train_video_url="https://x/tavus-fail.mp4", policy=QUICK
        )
