"""FakeTavus's documents: the knowledge base's six calls, processing on the fake's clock.

A document goes ``started`` (``Timing.document_queue``) -> ``processing`` (``progress``
0-99, over ``Timing.document_processing``) -> ``ready``, or ``error`` with an
``error_message`` code when its url or name holds the fail marker. A website created
with ``crawl`` can be recrawled once ``ready`` or ``error`` and
``Timing.document_recrawl_cooldown`` after its last crawl: ``recrawling`` for
``document_processing``, then ``ready`` with ``crawl_count`` one more and a new
``last_crawled_at``. Lists count pages from 0, as Tavus documents for documents. Each
ended run calls back once with the document, as Tavus's (undocumented) callbacks are
taken to be.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import attrs
from aiohttp import web

from .._state import Timing, iso
from ._common import FamilyRoutes, Refusal, mark_created, read_body, read_text, read_url

__all__ = ["FakeDocument", "Routes", "Run"]

#: Tavus's own limit on documents created with ``crawl``, per account.
CRAWL_DOCUMENT_LIMIT = 100
_CRAWL_BOUNDS = {"depth": (1, 10), "max_pages": (1, 100)}


@attrs.frozen(kw_only=True)
class Run:
    """One processing of a document: after upload, or a recrawl (with its crawl settings)."""

    started: float
    at: datetime
    crawl: dict[str, Any] | None


@attrs.define(kw_only=True)
class FakeDocument:
    """One document of the emulator: what it was made with, and its runs (crawls)."""

    document_id: str
    document_url: str
    document_name: str
    created_at: datetime
    updated_at: datetime
    #: The processing after upload, then each recrawl.
    runs: list[Run]
    callback_url: str | None = None
    tags: list[str] = attrs.Factory(list)
    crawl: dict[str, Any] | None = None
    fails: bool = False
    callback_sent: bool = False

    def phase(self, now: float, timing: Timing) -> tuple[str, int | None]:
        """(status, progress) at ``now``."""
        elapsed = now - self.runs[-1].started
        recrawl = len(self.runs) > 1
        if not recrawl:
            if elapsed < timing.document_queue:
                return "started", None
            elapsed -= timing.document_queue
        if elapsed >= timing.document_processing:
            return ("error" if self.fails else "ready"), None
        done = min(99, max(0, int(100 * elapsed / timing.document_processing)))
        return ("recrawling" if recrawl else "processing"), done

    def finished(self, now: float, timing: Timing) -> bool:
        return self.phase(now, timing)[0] in ("ready", "error")

    def to_json(self, now: float, timing: Timing) -> dict[str, Any]:
        status, progress = self.phase(now, timing)
        body: dict[str, Any] = {
            "document_id": self.document_id,
            "document_name": self.document_name,
            "document_url": self.document_url,
            "status": status,
            "progress": progress,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "callback_url": self.callback_url,
            "tags": list(self.tags),
        }
        crawled = [run for run in self.runs if run.crawl is not None]
        if status == "error":
            body["error_message"] = (
                "website_processing_failed" if crawled else "file_download_failed"
            )
        if crawled:
            # The first crawl counts from its start (Tavus's create answer says crawl_count
            # 1); a recrawl once it has ended.
            ended = status in ("ready", "error")
            counted = [r for r in crawled if r is self.runs[0] or ended or r is not self.runs[-1]]
            body["crawl_config"] = dict(self.crawl or crawled[0].crawl or {})
            done = [r for r in crawled if ended or r is not self.runs[-1]]
            body["crawled_urls"] = self._pages(done[-1]) if done else []
            body["crawl_count"] = len(counted)
            if counted:
                body["last_crawled_at"] = iso(counted[-1].at)
        return body

    def _pages(self, run: Run) -> list[str]:
        """The pages a crawl read: the start url and up to ``max_pages - 1`` more."""
        crawl = run.crawl or {}
        pages, depth = int(crawl.get("max_pages", 10)), int(crawl.get("depth", 1))
        base = self.document_url.rstrip("/")
        return [self.document_url] + [f"{base}/page-{n}" for n in range(1, min(pages, 3 * depth))]

    def callback_body(self, now: float, timing: Timing, *, files_url: str) -> dict[str, Any]:
        """The document, as ``get`` returns it (Tavus does not document the body)."""
        return self.to_json(now, timing)


def _refusal(message: str, *, status: int, key: str = "error") -> Refusal:
    """A Refusal answered as ``{key: message}``: Tavus says ``message`` for its 404s."""
    refusal = Refusal(message, status=status)
    refusal.response = web.json_response({key: message}, status=status)
    return refusal


def _read_tags(body: dict[str, Any]) -> list[str] | None:
    tags = body.get("tags")
    if tags is None:
        return None
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _refusal("Invalid request: tags must be an array of strings", status=400)
    return tags


def _read_crawl(body: Mapping[str, Any]) -> dict[str, Any] | None:
    crawl = body.get("crawl")
    if crawl is None:
        return None
    if not isinstance(crawl, dict):
        raise _refusal("Invalid request: crawl must be an object", status=400)
    for key, (low, high) in _CRAWL_BOUNDS.items():
        value = crawl.get(key)
        if key in crawl and (
            isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high
        ):
            raise _refusal(
                f"Invalid request: crawl.{key} must be an integer from {low} to {high}", status=400
            )
    return dict(crawl)


class Routes(FamilyRoutes):
    """Tavus's six document calls, on ``fake.jobs.documents``."""

    name = "documents"
    PHASES: ClassVar[Mapping[str, float]] = {
        "document_queue": 0.5,
        "document_processing": 2.0,
        "document_recrawl_cooldown": 5.0,
    }

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/documents", self.create_document)
        router.add_get("/v2/documents", self.list_documents)
        router.add_get("/v2/documents/{document_id}", self.get_document)
        router.add_patch("/v2/documents/{document_id}", self.update_document)
        router.add_delete("/v2/documents/{document_id}", self.delete_document)
        router.add_post("/v2/documents/{document_id}/recrawl", self.recrawl_document)

    @property
    def jobs(self) -> dict[str, FakeDocument]:
        return self.fake.jobs.of(self.name)

    def _document(self, request: web.Request) -> FakeDocument:
        document = self.jobs.get(request.match_info["document_id"])
        if document is None:
            raise _refusal("Document not found", status=404, key="message")
        return document

    def _json(self, document: FakeDocument) -> dict[str, Any]:
        return document.to_json(self.fake.clock(), self.fake.timing)

    async def create_document(self, request: web.Request) -> web.Response:
        fake = self.fake
        body = await read_body(request)
        if body.get("document_url") is None:
            raise _refusal("Invalid request: document_url is required", status=400)
        url = read_url(body, "document_url") or ""
        name = read_text(body, "document_name")
        tags = _read_tags(body)
        crawl = _read_crawl(body)
        crawling = sum(1 for d in self.jobs.values() if d.crawl is not None)
        if crawl is not None and crawling >= CRAWL_DOCUMENT_LIMIT:
            raise _refusal(
                f"Crawl document limit reached ({CRAWL_DOCUMENT_LIMIT}). "
                "Contact support@tavus.io to increase your limit.",
                status=429,
            )
        now = fake.now_utc()
        document = FakeDocument(
            document_id=fake.jobs.new_id("d"),
            document_url=url,
            document_name=name or url.rstrip("/").rsplit("/", 1)[-1] or url,
            created_at=now,
            updated_at=now,
            runs=[Run(started=fake.clock(), at=now, crawl=crawl)],
            callback_url=read_url(body, "callback_url"),
            tags=tags or [],
            crawl=crawl,
            fails=fake.fails(url, name),
        )
        self.jobs[document.document_id] = document
        mark_created(document.document_id)
        return web.json_response(self._json(document))

    async def list_documents(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", "10"))
            number = int(query.get("page", "0"))
        except ValueError:
            raise _refusal(
                "Invalid request: limit must be a positive integer", status=400
            ) from None
        if limit < 1 or number < 0:
            raise _refusal("Invalid request: limit must be a positive integer", status=400)
        documents = list(self.jobs.values())
        if query.get("sort", "ascending") == "descending":
            documents.reverse()
        items = [self._json(d) for d in documents]
        if "status" in query:
            items = [i for i in items if i["status"] == query["status"]]
        search = query.get("name_or_uuid", "").lower()
        if search:
            items = [
                i
                for i in items
                if search in i["document_name"].lower() or i["document_id"] == query["name_or_uuid"]
            ]
        wanted = {t for t in query.get("tags", "").split(",") if t}
        if wanted:
            items = [i for i in items if wanted & set(i["tags"])]
        start = number * limit
        return web.json_response(
            {
                "data": items[start : start + limit],
                "total_count": len(items),
                "page": number,
                "limit": limit,
            }
        )

    async def get_document(self, request: web.Request) -> web.Response:
        return web.json_response(self._json(self._document(request)))

    async def update_document(self, request: web.Request) -> web.Response:
        document = self._document(request)
        body = await read_body(request)
        name = body.get("document_name")
        if "document_name" in body and not isinstance(name, str):
            raise _refusal("Invalid request: document_name must be a string", status=400)
        tags = _read_tags(body)
        if name is not None:
            document.document_name = name
        if tags is not None:
            document.tags = tags  # Tavus replaces the tags: they are not merged
        document.updated_at = self.fake.now_utc()
        return web.json_response(self._json(document))

    async def delete_document(self, request: web.Request) -> web.Response:
        document = self._document(request)
        del self.jobs[document.document_id]
        return web.Response(status=204)

    async def recrawl_document(self, request: web.Request) -> web.Response:
        fake = self.fake
        document = self._document(request)
        raw = await request.read()
        crawl = _read_crawl(await read_body(request)) if raw.strip() else None
        now = fake.clock()
        status, _ = document.phase(now, fake.timing)
        if status not in ("ready", "error"):
            raise _refusal(
                "Document must be in 'ready' or 'error' state to recrawl, "
                f"current status: {status}",
                status=409,
            )
        if crawl is None and document.crawl is None:
            raise _refusal("Document was not created with crawl configuration", status=400)
        waited = now - document.runs[-1].started
        cooldown = fake.timing.document_recrawl_cooldown
        if waited < cooldown:
            minutes = max(1, int((cooldown - waited) // 60))
            raise _refusal(
                f"Recrawl cooldown: please wait {minutes} minutes before recrawling this document.",
                status=429,
            )
        moment = fake.now_utc()
        # A crawl given here is for this run only: the stored settings stay.
        document.runs.append(Run(started=now, at=moment, crawl=crawl or document.crawl))
        document.updated_at = moment
        document.callback_sent = False  # the recrawl's end calls back again
        return web.json_response(self._json(document), status=202)
