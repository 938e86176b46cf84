"""The `documents` commands, run as real subprocesses against a FakeTavus (see _support/cli.py)."""

from __future__ import annotations

import asyncio
import json

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, Timing

from _support.cli import FAST, KEY, POLL, api_error, block, environment, json_lines, tavus_async

SITE = "https://docs.example.com/"
PDF = "https://example.com/handbook.pdf"


async def test_create_sends_each_option(fake: FakeTavus) -> None:
    """`documents create` sends the url, name, tags, callback and crawl under Tavus's names."""
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async(
            "documents", "create", "--url", SITE, "--name", "Docs", "--tag", "docs",
            "--tag", "web", "--crawl-depth", "2", "--max-pages", "10",
            "--callback-url", "https://hooks.example.com/t", env=env,
        ),
        tavus_async("--json", "documents", "create", "--url", PDF, env=env),
    )  # fmt: skip

    assert code == json_code == 0
    site = fake.jobs.documents[block(out)["document_id"]]
    assert (site.document_name, site.tags, site.crawl) == (
        "Docs",
        ["docs", "web"],
        {"depth": 2, "max_pages": 10},
    )
    assert site.callback_url == "https://hooks.example.com/t"
    [pdf] = json_lines(json_out)
    assert pdf["status"] == "started"
    posts = [r.body for r in fake.requests if r.method == "POST"]
    assert {"document_url": PDF} in posts


async def test_bad_input_is_a_usage_error_before_any_request(fake: FakeTavus) -> None:
    """No --url, a url that is not http(s) or a depth of 0: exit 2, nothing sent."""
    env = environment(fake)

    results = await asyncio.gather(
        tavus_async("documents", "create", "--name", "x", env=env),
        tavus_async("documents", "create", "--url", "docs.example.com", env=env),
        tavus_async("documents", "create", "--url", SITE, "--crawl-depth", "0", env=env),
        tavus_async("documents", "update", "d1", env=env),
    )

    assert [code for code, _, _ in results] == [2, 2, 2, 2]
    assert "document_url" in results[1][2]
    assert "--crawl-depth" in results[2][2]
    assert "--name, --tag or --clear-tags" in results[3][2]
    assert fake.requests == []


async def test_list_filters_by_status_name_tag_and_sort(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`list` takes --status, --name-or-uuid, --tag and --sort; the table shows progress in %."""
    ready = await tavus.documents.create(document_url=PDF, document_name="Handbook", tags=["hr"])
    await tavus.documents.wait(ready.document_id, policy=FAST)
    # It fails (the marker), so it is never ready, however fast the emulator runs.
    site = await tavus.documents.create(
        document_url="https://tavus-fail.example.com/", tags=["web"]
    )
    env = environment(fake)

    (code, table, _), *filtered = await asyncio.gather(
        tavus_async("documents", "list", "--sort", "descending", env=env),
        tavus_async("--json", "documents", "list", "--status", "ready", env=env),
        tavus_async("--json", "documents", "list", "--name-or-uuid", "handbook", env=env),
        tavus_async("--json", "documents", "list", "--tag", "web", "--tag", "x", env=env),
    )

    assert code == 0
    lines = table.splitlines()
    assert lines[0].split() == [
        "document_id", "document_name", "status", "progress", "crawl_count", "created_at",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:-1]] == [site.document_id, ready.document_id]
    assert all(c == 0 for c, _, _ in filtered)
    ids = [[d["document_id"] for d in json_lines(out)] for _, out, _ in filtered]
    assert ids == [[ready.document_id], [ready.document_id], [site.document_id]]


async def test_wait_follows_processing_to_ready(fake: FakeTavus, tavus: TavusClient) -> None:
    """`wait ID` shows each state with Tavus's percentage read as one, then the ready document."""
    created = await tavus.documents.create(document_url=PDF)
    env = environment(fake)

    (code, out, _), (json_code, as_json, _) = await asyncio.gather(
        tavus_async("documents", "wait", created.document_id, *POLL, env=env),
        tavus_async("--json", "documents", "wait", created.document_id, *POLL, env=env),
    )

    assert code == json_code == 0
    shown = [line for line in out.splitlines() if line.startswith("document ")]
    assert shown[-1] == f"document {created.document_id}: ready"
    assert all(
        int(line.rsplit(" ", 1)[-1].rstrip("%")) <= 100 for line in shown if line.endswith("%")
    )
    assert block(out)["status"] == "ready"
    assert json_lines(as_json)[-1]["status"] == "ready"


async def test_a_failed_document_exits_1_with_its_error_code(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`wait` of a document that fails exits 1 and says Tavus's error_message."""
    created = await tavus.documents.create(document_url="https://example.com/tavus-fail.pdf")

    code, _, err = await tavus_async(
        "documents", "wait", created.document_id, *POLL, env=environment(fake)
    )

    assert code == 1
    assert "file_download_failed" in err.splitlines()[-1]


async def test_update_and_recrawl(fake: FakeTavus, tavus: TavusClient) -> None:
    """`update` renames and retags (or clears); `recrawl` restarts a website's crawl."""
    site = await tavus.documents.create(document_url=SITE, tags=["web"], crawl={"depth": 1})
    await tavus.documents.wait(site.document_id, policy=FAST)
    env = environment(fake)

    code, out, _ = await tavus_async(
        "--json", "documents", "update", site.document_id, "--name", "Site", "--tag", "a",
        "--tag", "b", env=env,
    )  # fmt: skip
    clear_code, cleared, _ = await tavus_async(
        "--json", "documents", "update", site.document_id, "--clear-tags", env=env
    )
    recrawl_code, recrawled, _ = await tavus_async(
        "--json", "documents", "recrawl", site.document_id, "--max-pages", "3", env=env
    )

    assert code == clear_code == recrawl_code == 0
    [updated] = json_lines(out)
    assert (updated["document_name"], updated["tags"]) == ("Site", ["a", "b"])
    assert json.loads(cleared)["tags"] == []
    assert json.loads(recrawled)["status"] == "recrawling"
    posts = [r for r in fake.requests if r.path.endswith("/recrawl")]
    assert [r.body for r in posts] == [{"crawl": {"max_pages": 3}}]


async def test_recrawl_while_processing_prints_tavus_409() -> None:
    """Recrawling a document still being processed prints Tavus's 409 on one line, exit 1."""
    async with FakeTavus(api_key=KEY, timing=Timing(document_processing=600)) as slow:
        async with slow.client() as tavus:
            site = await tavus.documents.create(document_url=SITE, crawl={"depth": 1})

        code, out, err = await tavus_async(
            "documents", "recrawl", site.document_id, env=environment(slow)
        )

    assert "409 POST" in api_error(code, out, err)
    assert "must be in 'ready' or 'error' state" in err
