"""Every code block of the documentation is tested: each python block runs in some test, and
the pages link only to pages and anchors that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from _support.docs import DOCS, MARKERS, README, ROOT, blocks, name_of, pages, python_blocks

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize(
    ("page", "block"),
    python_blocks(),
    ids=[f"{page}:{n}" for n, (page, _) in enumerate(python_blocks())],
)
def test_every_python_block_holds_the_marker_of_a_test(page: str, block: str) -> None:
    """A python block holds a marker of _support.docs.MARKERS, so some test runs it (a
    block that is not meant to run is shown as text, not as python)."""
    held = [marker for marker in MARKERS if marker in block]

    assert held, f"a python block of {page} is run by no test:\n{block}"


def test_every_marker_is_used_by_the_test_it_names() -> None:
    """Each marker's test exists and looks its block up by that marker."""
    for marker, where in MARKERS.items():
        file, test = where.split("::")
        source = (TESTS / file).read_text(encoding="utf-8")
        body = re.search(
            rf"^(?:async )?def {test}\(.*?(?=^(?:async )?def |\Z)",
            source,
            flags=re.DOTALL | re.MULTILINE,
        )
        assert body is not None, f"{where} does not exist"
        assert f"example({marker!r})" in body.group(0).replace('"', "'") or (
            f"main_of({marker!r})" in body.group(0).replace('"', "'")
        ), f"{where} does not run the block holding {marker!r}"


def test_the_pages_hold_python_blocks_on_every_guide() -> None:
    """Each guide of a family shows code that runs."""
    for guide in sorted((DOCS / "guides").glob("*.md")):
        if guide.name != "endpoints.md":
            assert blocks(guide, "python"), f"{name_of(guide)} shows no python"


def test_the_readme_is_what_a_first_visit_needs() -> None:
    """README.md is at most 200 lines, with the demo, the tests, a quick start and the site."""
    text = README.read_text(encoding="utf-8")

    assert len(text.splitlines()) <= 200
    for needed in (
        "python -m pip install '.[cli]' && tavus-async demo",
        "python -m pip install -e '.[test]' && python -m pytest",
        "python -m pip install -e '.[docs]' && mkdocs serve",
        "## Quick start",
    ):
        assert needed in text


# -- links between pages ----------------------------------------------------------------


def slug(heading: str) -> str:
    """The anchor MkDocs (Python-Markdown's toc) gives a heading."""
    text = re.sub(r"[^\w\s-]", "", heading.strip()).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(page: Path) -> set[str]:
    lines = page.read_text(encoding="utf-8").splitlines()
    fenced = False
    found = set()
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (heading := re.match(r"#{1,6} (.*)", line)):
            found.add(slug(re.sub(r"`", "", heading.group(1))))
    return found


def links(page: Path) -> list[str]:
    """The targets of the page's markdown links outside code blocks."""
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    text = re.sub(r"`[^`]*`", "", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize("page", pages(), ids=name_of)
def test_every_link_to_a_page_and_anchor_resolves(page: Path) -> None:
    """A relative link names a file that exists and, after '#', one of its headings; the
    API reference and the changelog (another part of the site) are only linked to."""
    for target in links(page):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if page.parent == DOCS and path in ("changelog.md", "reference/index.md"):
            continue
        assert file.exists(), f"{name_of(page)} links to {target}: no such file"
        assert ROOT in file.parents or file == ROOT, target
        if anchor:
            assert file.suffix == ".md", target
            assert anchor in anchors(file), f"{name_of(page)} links to {target}: no such anchor"
