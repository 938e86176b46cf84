"""The documentation site's sources: every public name has a reference entry, and the site
is configured to build and read offline.

The build itself (`mkdocs build --strict`, then tools/check_site.py on what it built) runs
in .ci/run with the `docs` extra; these checks read the sources and need neither.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import tavus_async
import tavus_async.testing
from tavus_async._client import families
from tavus_async.resources._spec import FamilySpec

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference"
MKDOCS = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
#: One mkdocstrings directive: `::: dotted.path`, on a line of its own.
DIRECTIVE = re.compile(r"^::: *(\S+) *$", re.M)


def _load_check_site() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("check_site", ROOT / "tools" / "check_site.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_site = _load_check_site()


def public_modules() -> list[types.ModuleType]:
    """The modules whose `__all__` is public API: the package, testing, callbacks, the
    relay, the waiters, and each family's models and calls."""
    names = ["tavus_async", "tavus_async.testing", "tavus_async.callbacks", "tavus_async.relay"]
    names.append("tavus_async.waiters")
    for family in families():
        names += [f"tavus_async.types.{family.name}", f"tavus_async.resources.{family.name}"]
    return [importlib.import_module(name) for name in names]


def resolve(path: str) -> Any:
    """The object a directive's dotted path names: its longest importable module, then
    attributes (lazy names of the package resolve through its ``__getattr__``)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            value = getattr(value, attribute)
        return value
    raise ModuleNotFoundError(path)


def directives() -> Iterator[tuple[str, str]]:
    """Each reference page's name and each dotted path it documents."""
    for page in sorted(REFERENCE.glob("*.md")):
        for path in DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            yield page.name, path


def plugin_config(name: str) -> Any:
    """The configuration mkdocs.yml gives a plugin (``None`` for a bare name)."""
    for plugin in MKDOCS["plugins"]:
        if plugin == name:
            return None
        if isinstance(plugin, dict) and name in plugin:
            return plugin[name]
    raise LookupError(name)


def keys(config: Any) -> Iterator[str]:
    """Every mapping key anywhere in a nested configuration."""
    if isinstance(config, dict):
        for key, value in config.items():
            yield str(key)
            yield from keys(value)
    elif isinstance(config, list):
        for item in config:
            yield from keys(item)


def test_every_directive_names_an_object_that_exists() -> None:
    """Every `:::` path on a reference page imports (mkdocs would only say so at build)."""
    missing = []
    for page, path in directives():
        try:
            resolve(path)
        except (ImportError, AttributeError):
            missing.append(f"{page}: {path}")

    assert missing == []


def test_every_public_name_has_its_own_reference_entry() -> None:
    """Each name in a public module's `__all__` has a `::: ...Name` entry on a reference page."""
    documented = {(path.rsplit(".", 1)[-1], id(resolve(path))) for _, path in directives()}
    undocumented = []
    for module in public_modules():
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, FamilySpec):
                continue  # a family's declaration, read by the SDK's layers, not by users
            if (name, id(value)) not in documented:
                undocumented.append(f"{module.__name__}.{name}")

    assert undocumented == []


def test_each_name_is_documented_once() -> None:
    """No name has two entries: one page per name, so its anchor and links are unique."""
    seen: dict[tuple[str, int], str] = {}
    twice = []
    for page, path in directives():
        key = (path.rsplit(".", 1)[-1], id(resolve(path)))
        if key in seen:
            twice.append(f"{path} on {page} and {seen[key]}")
        seen[key] = page

    assert twice == []


def test_package_names_are_shown_as_they_are_imported() -> None:
    """A name `tavus_async` exports is documented as `tavus_async.Name`, not by its module."""
    longhand = [
        f"{page}: {path}"
        for page, path in directives()
        if not path.startswith("tavus_async.testing.")
        and path.rsplit(".", 1)[-1] in tavus_async.__all__
        and path != f"tavus_async.{path.rsplit('.', 1)[-1]}"
    ]

    assert longhand == []


def test_every_reference_page_opens_with_what_is_on_it() -> None:
    """Each reference page has a title, then prose before its first entry."""
    for page in sorted(REFERENCE.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        title, _, rest = text.partition("\n")
        opening = rest.split(":::", 1)[0].split("\n## ", 1)[0].strip()

        assert title.startswith("# "), page.name
        assert len(opening) > 40, page.name


def test_every_reference_page_is_in_the_nav() -> None:
    """The nav lists every reference page, and no page that does not exist."""
    listed = set(re.findall(r"reference/[\w-]+\.md", yaml.safe_dump(MKDOCS["nav"])))

    assert listed == {f"reference/{page.name}" for page in REFERENCE.glob("*.md")}


def test_the_site_uses_no_web_fonts() -> None:
    """Material is told to use the system's fonts: it would load Roboto from Google."""
    assert MKDOCS["theme"]["name"] == "material"
    assert MKDOCS["theme"]["font"] is False


def test_no_plugin_fetches_at_build_time() -> None:
    """No plugin is configured with `inventories` or `import` (other projects' objects.inv,
    fetched over the network), and mkdocstrings reads the source tree."""
    fetching = [
        key
        for plugin in MKDOCS["plugins"]
        for key in keys(plugin)
        if key in {"inventories", "import"}
    ]
    handler = plugin_config("mkdocstrings")["handlers"]["python"]

    assert fetching == []
    assert handler["paths"] == ["."]


def test_the_changelog_page_includes_the_changelog() -> None:
    """docs/changelog.md is CHANGELOG.md, included: the changelog is written once."""
    page = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")

    assert page.strip() == '--8<-- "CHANGELOG.md"'


def test_broken_links_fail_the_strict_build() -> None:
    """Broken links and anchors are warnings, which `mkdocs build --strict` fails on."""
    validation = MKDOCS["validation"]

    assert {validation[key] for key in validation} == {"warn"}
    assert set(validation) >= {"omitted_files", "absolute_links", "unrecognized_links", "anchors"}


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("index.html", '<script src="https://cdn.example.com/x.js"></script>', "x.js"),
        ("index.html", '<link rel="stylesheet" href="//fonts.googleapis.com/css">', "css"),
        ("index.html", '<link rel="preconnect" href="https://fonts.gstatic.com">', "gstatic"),
        ("index.html", '<img srcset="a.png 1x, https://img.example.com/b.png 2x">', "b.png"),
        ("index.html", '<div style="background: url(https://x.example.com/b.png)">', "b.png"),
        ("index.html", "<style>@import url(http://x.example.com/s.css);</style>", "s.css"),
        ("index.html", '<script>load("https://unpkg.com/lib")</script>', "unpkg.com/lib"),
        ("a.css", "@import 'https://fonts.googleapis.com/css2?family=Roboto';", "Roboto"),
        ("a.css", "@font-face{src:url(https://fonts.gstatic.com/r.woff2)}", "r.woff2"),
        ("a.js", 's.src="https://cdn.jsdelivr.net/npm/katex"', "katex"),
    ],
)
def test_the_site_check_names_what_loads_from_elsewhere(
    tmp_path: Path, name: str, content: str, found: str
) -> None:
    """tools/check_site.py reports a script, style, font or image from another host."""
    (tmp_path / name).write_text(content, encoding="utf-8")

    problems = check_site.check_site(tmp_path)

    assert len(problems) == 1
    assert problems[0].startswith(f"{name}: ")
    assert found in problems[0]


def test_the_site_check_passes_links_and_inline_data(tmp_path: Path) -> None:
    """Links a reader follows, `data:` urls and local files are not fetches from elsewhere."""
    (tmp_path / "index.html").write_text(
        '<link rel="next" href="https://example.com/next/"><a href="https://example.com/">x</a>'
        '<link rel="stylesheet" href="assets/main.css"><script src="assets/b.js"></script>',
        encoding="utf-8",
    )
    (tmp_path / "main.css").write_text(
        "a{background:url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\")}",
        encoding="utf-8",
    )

    assert check_site.check_site(tmp_path) == []


def test_the_site_check_allows_the_themes_lazy_scripts_only_without_cause(
    tmp_path: Path,
) -> None:
    """Material's on-demand mermaid url passes until a page has a mermaid diagram."""
    (tmp_path / "bundle.js").write_text(
        'function m(){return load("https://unpkg.com/mermaid@11/dist/mermaid.min.js")}',
        encoding="utf-8",
    )
    (tmp_path / "index.html").write_text("<p>no diagram</p>", encoding="utf-8")
    before = check_site.check_site(tmp_path)
    (tmp_path / "index.html").write_text('<pre class="mermaid">graph LR</pre>', encoding="utf-8")

    after = check_site.check_site(tmp_path)

    assert before == []
    assert len(after) == 1
    assert "mermaid diagram: index.html" in after[0]


def test_what_private_bases_give_public_classes_is_shown() -> None:
    """Every public member a documented class inherits from a private base is in the
    handler's `inherited_members`, so that the reference shows it on the class."""
    shown = set(plugin_config("mkdocstrings")["handlers"]["python"]["options"]["inherited_members"])
    documented = {id(resolve(path)) for _, path in directives()}
    missing = set()
    for _, path in directives():
        cls = resolve(path)
        if not isinstance(cls, type):
            continue
        for base in cls.__mro__[1:]:
            if base.__module__.startswith("tavus_async") and id(base) not in documented:
                missing |= {name for name in vars(base) if not name.startswith("_")} - shown

    assert missing == set()
