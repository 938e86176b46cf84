"""The docs' table of every endpoint: each SDK call it names exists, and none is left out.

The table is the page docs/guides/endpoints.md, under its heading ``# Every endpoint``
(``## Every endpoint`` in a longer page), one row per endpoint of Tavus's v2 reference::

    | POST /v2/videos | `tavus.videos.create(...)`, `tavus.videos.create_and_wait(...)` | note |

Every ``tavus.<family>.<call>(`` a row names (in any cell: a GET row's note names the
waits that poll it) must be a callable of a TavusClient, and every public call of every
family of the client must be named somewhere. A row that names no call says why in its
note: the endpoint is "not built yet", or "deprecated in the reference: not built".
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from tavus_async import TavusClient
from tavus_async._client import families

ROOT = Path(__file__).resolve().parents[2]
HEADING = "## Every endpoint"
PAGE = ROOT / "docs" / "guides" / "endpoints.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_CALL = re.compile(r"`(tavus(?:\.\w+)+)\(")
_ENDPOINT = re.compile(r"(GET|POST|PUT|PATCH|DELETE|\?) (/v2/\S*)")


@attrs.frozen
class Row:
    """One endpoint of the table: its method and path, the calls it names, its note."""

    method: str
    path: str
    calls: tuple[str, ...]
    note: str
    line: str


def endpoint_rows(markdown: str) -> list[Row] | None:
    """The rows of the table under ``# Every endpoint`` or ``## Every endpoint``; None when
    there is no such heading."""
    lines = markdown.splitlines()
    start = _heading(lines)
    if start is None:
        return None
    rows: list[Row] = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if not line.startswith("|") or re.fullmatch(r"\|[\s:|-]*\|?", line.strip()):
            continue  # text around the table, or its separator line
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        first = cells[0].strip("`")
        if first.lower().startswith("endpoint"):  # the header
            continue
        found = _ENDPOINT.match(first)
        method, path = (found.group(1), found.group(2)) if found else ("", first)
        rows.append(
            Row(
                method=method,
                path=path,
                calls=tuple(_CALL.findall(line)),
                note=cells[-1] if len(cells) > 2 else "",
                line=line,
            )
        )
    return rows


def problems(rows: list[Row], client: TavusClient) -> list[str]:
    """Everything wrong with the table, each as a sentence (none for a good table)."""
    found: list[str] = []
    if not rows:
        return ["the table has no rows"]
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if row.method not in (*METHODS, "?"):
            found.append(f"not 'METHOD /v2/path': {row.line}")
        elif (row.method, row.path) in seen:
            found.append(f"listed twice: {row.method} {row.path}")
        seen.add((row.method, row.path))
        if not row.calls and "not built" not in row.note:
            found.append(f"names no call and does not say why (not built ...): {row.line}")
        if row.calls and row.method == "?":
            found.append(f"a built call needs the endpoint's method: {row.line}")
        for call in row.calls:
            if not _resolves(client, call):
                found.append(f"no such call: {call} ({row.method} {row.path})")
    named = {call for row in rows for call in row.calls}
    for spec in families():
        for name in public_calls(getattr(client, spec.name)):
            if f"tavus.{spec.name}.{name}" not in named:
                found.append(f"tavus.{spec.name}.{name} is in no row")
    return found


def public_calls(resource: Any) -> list[str]:
    """A family's public calls: the methods of its class that do not start with ``_``."""
    return [
        name
        for name, value in inspect.getmembers(type(resource))
        if not name.startswith("_") and inspect.isfunction(value)
    ]


def _resolves(client: TavusClient, chain: str) -> bool:
    target: Any = client
    for part in chain.split(".")[1:]:
        if part.startswith("_"):
            return False
        try:
            target = getattr(target, part)
        except AttributeError:
            return False
    return callable(target)


def _heading(lines: list[str]) -> int | None:
    """The index of the table's heading line, of level 1 or 2."""
    return next(
        (i for i, line in enumerate(lines) if re.fullmatch(r"#{1,2} Every endpoint", line.strip())),
        None,
    )


def table_of(markdown: str) -> str:
    """The table's own lines (header, separator, rows) in the section under the heading."""
    lines = markdown.splitlines()
    start = _heading(lines)
    assert start is not None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "".join(f"{line}\n" for line in lines[start + 1 : end] if line.startswith("|"))


# The docs' table, also set in READMEs to test the checks on a known table.
TABLE = table_of(PAGE.read_text(encoding="utf-8"))
README_WITH_TABLE = (
    f"# tavus-async\n\nIntro.\n\n{HEADING}\n\nOne row per endpoint.\n\n{TABLE}\n## Next\n\n"
    "| GET /v2/nothing | `tavus.nothing.at_all()` | outside the section |\n"
)


@pytest.fixture(name="tavus")
def tavus_fixture() -> TavusClient:
    return TavusClient(api_key="tvs-test-key-0123456789abcdef")


def readme_rows(tmp_path: Path, text: str) -> list[Row] | None:
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    return endpoint_rows(readme.read_text(encoding="utf-8"))


def test_the_table_of_this_version_passes(tmp_path: Path, tavus: TavusClient) -> None:
    """The table of this version, in a README, names only real calls and every call."""
    rows = readme_rows(tmp_path, README_WITH_TABLE)

    assert rows is not None
    assert problems(rows, tavus) == []
    assert len(rows) == len(TABLE.splitlines()) - 2  # every line but header and separator
    assert all(row.path != "/v2/nothing" for row in rows)  # the next section is not the table


def test_a_misspelt_or_private_call_is_found(tmp_path: Path, tavus: TavusClient) -> None:
    """A call that does not exist, or is not callable, or is private, is named as such."""
    broken = TABLE.replace("`tavus.voices.iter(...)`", "`tavus.voices.walk(...)`").replace(
        "`tavus.memories.delete(", "`tavus.memories._requester("
    )
    rows = readme_rows(tmp_path, f"{HEADING}\n\n{broken}")

    assert rows is not None
    found = problems(rows, tavus)
    assert "no such call: tavus.voices.walk (GET /v2/voices)" in found
    assert any("no such call: tavus.memories._requester" in p for p in found)
    assert "tavus.voices.iter is in no row" in found
    assert "tavus.memories.delete is in no row" in found


def test_a_call_left_out_and_an_unexplained_row_are_found(
    tmp_path: Path, tavus: TavusClient
) -> None:
    """A family call in no row, a row with no call and no reason, a duplicate, a bad method."""
    broken = (
        TABLE.replace(", `tavus.pronunciation_dictionaries.iter(...)`", "")
        .replace(
            "| GET /v2/lipsync | | deprecated in the reference: not built |",
            "| GET /v2/lipsync | | |",
        )
        .replace("| DELETE /v2/lipsync/{lipsync_id} |", "| REMOVE /v2/lipsync/{lipsync_id} |")
    ) + "| GET /v2/voices | `tavus.voices.list()` | |\n"
    rows = readme_rows(tmp_path, f"{HEADING}\n\n{broken}")

    assert rows is not None
    found = problems(rows, tavus)
    assert "tavus.pronunciation_dictionaries.iter is in no row" in found
    assert "names no call and does not say why (not built ...): | GET /v2/lipsync | | |" in found
    assert "listed twice: GET /v2/voices" in found
    assert any(p.startswith("not 'METHOD /v2/path'") and "REMOVE" in p for p in found)


def test_without_the_heading_there_is_no_table(tmp_path: Path) -> None:
    """A README without the heading has no table (None), an empty one has no rows."""
    assert readme_rows(tmp_path, "# tavus-async\n\n## Install\n") is None
    assert readme_rows(tmp_path, f"{HEADING}\n\nSoon.\n\n## Next\n") == []


def test_the_docs_table_names_every_call_and_only_real_ones(tavus: TavusClient) -> None:
    """docs/guides/endpoints.md's table names only calls a TavusClient has, and all of them."""
    rows = endpoint_rows(PAGE.read_text(encoding="utf-8"))

    assert rows is not None
    assert len(rows) >= 90  # every endpoint of the reference, built or not
    assert problems(rows, tavus) == []
