"""The `faces` and `pals` commands, run as real subprocesses against a FakeTavus."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import POLL, api_error, block, environment, json_lines, tavus_async

STOCK_FACE = "r783537ef5"
LLM_KEY = "sk-llm-secret-0123456789"


async def test_faces_create_list_and_wait(fake: FakeTavus) -> None:
    """`faces create` starts a face (a photo needs a voice); `list` filters; `wait` exits 0."""
    env = environment(fake)

    (code, out, _), (json_code, json_out, _), (no_voice, _, no_voice_err) = await asyncio.gather(
        tavus_async(
            "faces", "create", "--train-video-url", "https://example.com/t.mp4",
            "--name", "Mine", "--model-name", "phoenix-3", env=env,
        ),
        tavus_async(
            "--json", "faces", "create", "--train-image-url", "https://example.com/f.png",
            "--voice-name", "anna", "--auto-fix-training-image", env=env,
        ),
        tavus_async(
            "faces", "create", "--train-image-url", "https://example.com/f.png", env=env
        ),
    )  # fmt: skip
    created = block(out)
    [from_photo] = json_lines(json_out)
    (_, listed, _), (_, system, _), (wait_code, waited, _) = await asyncio.gather(
        tavus_async("--json", "faces", "list", "--type", "user", "--verbose", env=env),
        tavus_async("--json", "faces", "list", "--type", "system", env=env),
        tavus_async("faces", "wait", created["face_id"], *POLL, env=env),
    )

    assert code == json_code == wait_code == 0
    assert created["status"] == from_photo["status"] == "started"
    assert no_voice == 2
    assert "voice_name" in no_voice_err
    names = {f["face_id"]: (f["face_name"], f["face_type"]) for f in json_lines(listed)}
    assert names == {
        created["face_id"]: ("Mine", "user"),
        from_photo["face_id"]: ("Unnamed face", "user"),
    }
    assert STOCK_FACE in {f["face_id"] for f in json_lines(system)}
    assert block(waited)["status"] == "completed"


async def test_faces_wait_exits_1_for_a_failed_training(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`faces wait` of a face whose training fails ends with its error and exit code 1."""
    bad = await tavus.faces.create(train_video_url="https://example.com/tavus-fail.mp4")

    code, out, _ = await tavus_async(
        "--json", "faces", "wait", bad.face_id, *POLL, env=environment(fake)
    )

    assert code == 1
    assert json_lines(out)[-1]["status"] == "error"


async def test_faces_rename_get_and_delete(fake: FakeTavus, tavus: TavusClient) -> None:
    """The generic rename, get --verbose and delete --hard work for faces."""
    face = await tavus.faces.create(train_video_url="https://example.com/t.mp4")
    env = environment(fake)

    renamed = await tavus_async("faces", "rename", face.face_id, "Rio", env=env)
    shown = await tavus_async("faces", "get", face.face_id, "--verbose", env=env)
    deleted = await tavus_async("faces", "delete", face.face_id, "--hard", env=env)
    after = await tavus_async("faces", "get", face.face_id, env=env)

    assert renamed[0] == shown[0] == deleted[0] == 0
    assert block(shown[1])["face_name"] == "Rio"
    assert block(shown[1])["face_type"] == "user"
    assert face.face_id not in fake.jobs.faces
    assert "404" in api_error(*after)


async def test_pals_create_update_publish_delete(fake: FakeTavus) -> None:
    """`pals create` sends its options; `update --set` patches; `publish`; `delete`."""
    env = environment(fake)
    layers = {"llm": {"model": "tavus-glm-4.7", "api_key": LLM_KEY}}

    code, out, _ = await tavus_async(
        "pals", "create", "--name", "Coach", "--system-prompt", "Be kind.",
        "--default-face-id", STOCK_FACE, "--layers", json.dumps(layers),
        "--document-tag", "faq", "--guardrail-id", "g1", "--objectives-id", "o1", env=env,
    )  # fmt: skip
    pal_id = block(out)["pal_id"]
    updated = await tavus_async(
        "--json", "pals", "update", pal_id, "--set", "/system_prompt=Be brief.", env=env
    )
    published = await tavus_async("--json", "pals", "publish", pal_id, env=env)
    shown = await tavus_async("--json", "pals", "get", pal_id, env=env)
    listed = await tavus_async("--json", "pals", "list", "--pal-type", "user", env=env)
    deleted = await tavus_async("pals", "delete", pal_id, env=env)

    assert code == updated[0] == published[0] == shown[0] == deleted[0] == 0
    assert pal_id not in fake.jobs.pals
    [pal] = json_lines(shown[1])
    assert pal["system_prompt"] == "Be brief."
    assert pal["layers"]["llm"]["api_key"] == "***"  # printed output masks secrets
    assert (pal["document_tags"], pal["guardrail_ids"], pal["objectives_id"]) == (
        ["faq"],
        ["g1"],
        "o1",
    )
    assert json_lines(published[1]) == [{"pal_id": pal_id, "published": True}]
    assert [p["pal_id"] for p in json_lines(listed[1])] == [pal_id]
    assert LLM_KEY not in updated[1] + shown[1]


async def test_pals_create_refuses_masked_secrets_and_a_missing_face(
    fake: FakeTavus, tmp_path: Path
) -> None:
    """--file with a '***' secret, or no --default-face-id, fails before any request."""
    masked = tmp_path / "masked.json"
    masked.write_text(
        json.dumps({"default_face_id": STOCK_FACE, "layers": {"llm": {"api_key": "***"}}}),
        encoding="utf-8",
    )
    env = environment(fake)

    (code, _, err), (no_face, _, no_face_err) = await asyncio.gather(
        tavus_async("pals", "create", "--file", str(masked), env=env),
        tavus_async("pals", "create", "--system-prompt", "Hi", env=env),
    )

    assert code == no_face == 2
    assert "layers.llm.api_key" in err
    assert "--default-face-id" in no_face_err
    assert not [r for r in fake.requests if r.method == "POST"]
