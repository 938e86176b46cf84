"""Check that a built documentation site loads nothing from another host.

    python tools/check_site.py SITE_DIR

The site must read offline: every script, stylesheet, font, image and frame a page loads
comes from the site itself. Scans every .html, .css and .js file under SITE_DIR and exits 1
naming each file and what it would fetch from elsewhere. Links a reader follows
(``<a href="https://...">``, ``<link rel="next">``) fetch nothing and are fine.

What counts as loading:

- HTML: ``src`` / ``srcset`` / ``poster`` / ``data`` of the elements that load them, every
  ``<link href>`` but the ones that only name another page (``canonical``, ``next``, ...),
  and CSS in ``<style>`` and ``style=""`` as below;
- CSS: ``@import`` and ``url(...)`` of an absolute url (``data:`` urls are inline);
- JavaScript (files and inline scripts): the hosts that serve fonts and scripts
  (``fonts.googleapis.com``, ``unpkg.com``, ...), since a url in a script cannot be told
  from a string by reading it. Material's bundle names two such urls that it fetches only
  when a page needs them; they are allowed while the site gives them no cause (see
  ``LAZY_IN_THEME``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

#: Hosts that serve fonts, scripts, styles and data to pages: a script naming one fetches from it.
REMOTE_HOSTS = (
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "polyfill.io",
    "ajax.googleapis.com",
    "use.fontawesome.com",
    "api.github.com",
)
_REMOTE = re.compile(
    r"(?:https?:)?//(?:[a-z0-9-]+\.)*(?:"
    + "|".join(map(re.escape, REMOTE_HOSTS))
    + r")[^\s\"'`)]*",
    re.I,
)

#: Urls in Material's bundle that it loads only on demand, each with what would demand it:
#: allowed while no page of the site gives that cause.
LAZY_IN_THEME: dict[str, tuple[str, Callable[[str], bool]]] = {
    # Mermaid's script, fetched only to draw a ```mermaid diagram.
    "https://unpkg.com/mermaid@": (
        "a page has a mermaid diagram",
        lambda page: 'class="mermaid"' in page,
    ),
    # A polyfill, fetched only by a browser without ResizeObserver (none that Material
    # supports: every browser has had it since 2020).
    "https://unpkg.com/resize-observer-polyfill": ("never", lambda page: False),
    # The repository's stars and forks, fetched only for the header's link to a repository
    # (mkdocs.yml's repo_url).
    "https://api.github.com/": (
        "a page links its repository",
        lambda page: 'data-md-component="source"' in page,
    ),
}

#: Elements and the attributes through which they load something.
_LOADING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
#: ``<link rel>`` values that name another document without fetching it.
_NAVIGATION_RELS = frozenset(
    {"canonical", "alternate", "next", "prev", "author", "license", "me", "help", "search"}
)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)""", re.I)


def is_remote(url: str) -> bool:
    """Whether a url points at another host: absolute, or scheme-relative (``//host/...``)."""
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


def css_fetches(css: str) -> Iterator[str]:
    """The absolute urls a stylesheet imports or loads (fonts, images)."""
    # `@import url(...)` matches both patterns: each url is named once.
    found = {
        match.start(1): match.group(1)
        for pattern in (_CSS_IMPORT, _CSS_URL)
        for match in pattern.finditer(css)
        if is_remote(match.group(1))
    }
    for _, url in sorted(found.items()):
        yield url


def script_fetches(script: str) -> Iterator[str]:
    """The urls on the hosts of ``REMOTE_HOSTS`` that a script names."""
    for match in _REMOTE.finditer(script):
        yield match.group(0)


class _PageScan(HTMLParser):
    """Collects what one page would load from elsewhere, as ``what: url`` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        urls: list[str] = []
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if not rels or not rels <= _NAVIGATION_RELS:
                urls.append(values.get("href", ""))
        for name in _LOADING.get(tag, ()):
            value = values.get(name, "")
            # srcset: "url 1x, url 2x"
            urls.extend(part.split()[0] for part in value.split(",") if part.split())
        self.found.extend(f"<{tag}> {url}" for url in urls if is_remote(url))
        self.found.extend(f"<{tag} style> {url}" for url in css_fetches(values.get("style", "")))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.found.extend(f"<style> {url}" for url in css_fetches(data))
        elif self._in == "script":
            self.found.extend(f"<script> {url}" for url in script_fetches(data))


def check_site(site: Path) -> list[str]:
    """Every file of ``site`` with what it would load from another host, one line each."""
    pages = {path: path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))}
    problems: list[str] = []
    for path, page in pages.items():
        scan = _PageScan()
        scan.feed(page)
        scan.close()
        problems.extend(f"{path.relative_to(site)}: {found}" for found in scan.found)
    for path in sorted(site.rglob("*.css")):
        css = path.read_text(encoding="utf-8")
        problems.extend(f"{path.relative_to(site)}: {url}" for url in css_fetches(css))
    for path in sorted(site.rglob("*.js")):
        script = path.read_text(encoding="utf-8")
        for url in script_fetches(script):
            lazy = next(
                (lazy for prefix, lazy in LAZY_IN_THEME.items() if url.startswith(prefix)), None
            )
            if lazy is not None:
                cause, caused_by = lazy
                caused = [
                    str(page_path.relative_to(site))
                    for page_path, page in pages.items()
                    if caused_by(page)
                ]
                if not caused:
                    continue
                url = f"{url} (loaded because {cause}: {', '.join(caused)})"
            problems.append(f"{path.relative_to(site)}: {url}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python tools/check_site.py SITE_DIR", file=sys.stderr)
        return 2
    site = Path(argv[0])
    problems = check_site(site)
    for problem in problems:
        print(f"loads from another host: {problem}", file=sys.stderr)
    if problems:
        return 1
    count = sum(1 for _ in site.rglob("*.html"))
    print(f"{site}: {count} pages load nothing from another host")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
