"""``tavus.documents``: the knowledge base. Upload, list, get, update, delete and recrawl
documents, and wait for them to be processed."""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Awaitable, Callable, Collection, Iterable, Mapping
from typing import Any, Literal

from .._core.arguments import (
    check_comma_list,
    check_settings,
    check_string,
    check_strings,
    check_text,
    check_url,
    optional,
)
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from .._exceptions import DocumentProcessingError
from ..types.documents import Document, DocumentCrawl, DocumentStatus
from ..waiting.engine import Subscriber, WaitOutcome
from ..waiting.jobs import JobKind, JobState
from ..waiting.policy import PollPolicy
from ._base import JobResource, body, paging, query
from ._spec import FamilySpec

__all__ = ["DOCUMENTS", "DOCUMENT_FALLBACK_POLICY", "DOCUMENT_POLICY", "Documents"]

#: Documents are processed in minutes (Tavus says "a few", its guide 5-10): first poll
#: 3-5 s after the start, backing off to about once a minute (58-60 s); give up after an
#: hour.
DOCUMENT_POLICY = PollPolicy(initial=5.0, maximum=60.0, multiplier=1.5, jitter=2.0, timeout=3600.0)
#: With callbacks, polling is only the fallback for a callback that never comes: a
#: document is looked at again after 5 minutes, then up to every 15.
DOCUMENT_FALLBACK_POLICY = PollPolicy(
    initial=300.0, maximum=900.0, multiplier=2.0, jitter=30.0, timeout=3600.0
)

DOCUMENTS: FamilySpec[Document] = FamilySpec(
    name="documents",
    noun="document",
    path="/v2/documents",
    model=Document,
    id_field="document_id",
    job=JobKind(
        name="document",
        id_field="document_id",
        progress_field="progress",
        states={
            "started": JobState.PENDING,
            "processing": JobState.PENDING,
            "recrawling": JobState.PENDING,
            "ready": JobState.DONE,
            "error": JobState.FAILED,
        },
        failure=DocumentProcessingError,
        reason_fields=("error_message",),
        default_policy=DOCUMENT_POLICY,
        fallback_policy=DOCUMENT_FALLBACK_POLICY,
    ),
    # Tavus does not document the body of a document's callbacks ("periodic callbacks
    # with status updates"): it is taken to be the document, as a video's is; a wait
    # confirms it with a GET.
    callback_key="document_id",
    columns=("document_id", "document_name", "status", "progress", "crawl_count", "created_at"),
)


def _check_crawl(name: str, value: object) -> dict[str, Any]:
    """``crawl`` as JSON: a DocumentCrawl or a mapping; ``depth`` and ``max_pages`` whole
    numbers of 1 or more when given (Tavus judges the upper bounds)."""
    crawl = check_settings(name, value, DocumentCrawl)
    for key in ("depth", "max_pages"):
        number = crawl.get(key)
        if number is None:
            continue
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"{name}.{key} must be an int, not {type(number).__name__}")
        if number < 1:
            raise ValueError(f"{name}.{key} must be 1 or more, got {number}")
    return crawl


def _filters(sort: object, status: object, name_or_uuid: object, tags: object) -> dict[str, object]:
    return {
        "sort": optional(check_text, "sort", sort),
        "status": None if status is None else str(check_text("status", status)),
        "name_or_uuid": optional(check_text, "name_or_uuid", name_or_uuid),
        "tags": optional(check_comma_list, "tags", tags),
    }


Sort = Literal["ascending", "descending"]


class Documents(JobResource[Document]):
    """The knowledge base's documents: ``POST/GET/PATCH/DELETE /v2/documents`` and
    ``POST /v2/documents/{document_id}/recrawl``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``); waits apply them to every poll.
    """

    spec = DOCUMENTS

    async def create(
        self,
        *,
        document_url: str,
        document_name: str | None = None,
        tags: Collection[str] | None = None,
        callback_url: str | None = None,
        crawl: DocumentCrawl | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Document:
        """Add a file or a website to the knowledge base; return it at once (``started``).

        ``document_url`` is a file (a .pdf, .txt, .docx, .doc, .png, .jpg, .pptx, .csv or
        .xlsx of up to 50 MB) or a web page. ``crawl`` (a DocumentCrawl or a mapping with
        ``depth`` and ``max_pages``) follows a website's links; without it only the page
        itself is read. ``tags`` name the document for ``document_tags`` on personas and
        conversations. Tavus processes the document in minutes: ``wait`` for it. Only what
        is given is sent.

        The request is never retried once it may have reached Tavus (a second create is a
        second document). Raises ValueError/TypeError before any request for a
        ``document_url`` or ``callback_url`` that is not an http(s) url, a bare string where
        a list goes, or a ``crawl`` depth or page count below 1; APIError for Tavus's
        refusals (RateLimitError when the account has as many crawled documents as it
        may); APIConnectionError when no answer came (its message says whether the
        document may exist).
        """
        json_body = body(
            {
                "document_url": check_url("document_url", document_url),
                "document_name": optional(check_string, "document_name", document_name),
                "callback_url": optional(check_url, "callback_url", callback_url),
                "tags": optional(check_strings, "tags", tags),
                "crawl": optional(_check_crawl, "crawl", crawl),
            }
        )
        return await self._create(json_body, options)

    async def create_and_wait(
        self,
        *,
        document_url: str,
        document_name: str | None = None,
        tags: Collection[str] | None = None,
        callback_url: str | None = None,
        crawl: DocumentCrawl | Mapping[str, Any] | None = None,
        policy: PollPolicy | None = None,
        on_update: Callable[[Document], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Document:
        """``create`` with these arguments, then ``wait`` for the document: the ready one.

        With ``callbacks`` and no ``callback_url``, the receiver's url is sent. The create
        is sent once: if its answer is lost, its error says the document may exist, and
        nothing is created again. Raises what ``create`` and ``wait`` raise; the wait's
        arguments are checked before anything is created.
        """
        create = functools.partial(
            self.create,
            document_url=document_url,
            document_name=document_name,
            tags=tags,
            crawl=crawl,
            **options,
        )
        return await self._create_and_wait(
            create,
            callback_url=callback_url,
            policy=policy,
            on_update=on_update,
            callbacks=callbacks,
            options=options,
        )

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        sort: Sort | str | None = None,
        status: DocumentStatus | str | None = None,
        name_or_uuid: str | None = None,
        tags: Collection[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Document]:
        """One page of documents (``.data``, ``.total_count``); pages count from 0.

        ``sort`` is ``ascending`` (Tavus's default) or ``descending``; ``status`` keeps the
        documents in that state; ``name_or_uuid`` searches names and ids; ``tags`` keeps
        those with any of the tags (sent comma-separated). ``limit`` is the page size
        (Tavus's default is 10). Raises ValueError / TypeError before any request for a bad
        ``limit``, ``page`` or filter (a tag holding a comma).
        """
        filters = _filters(sort, status, name_or_uuid, tags)
        return await self._list(query({**paging(limit, page), **filters}), options)

    def iter(
        self,
        *,
        page_size: int = 50,
        sort: Sort | str | None = None,
        status: DocumentStatus | str | None = None,
        name_or_uuid: str | None = None,
        tags: Collection[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Document, None]:
        """Every document of every page, each once, fetching ``page_size`` (1-100) at a time.

        Takes ``list``'s filters. Raises ValueError / TypeError at once for a bad
        ``page_size`` or filter, or for ``limit`` or ``page`` in ``extra_query``; while
        iterating, APIError / APIConnectionError as any call.
        """
        filters = query(_filters(sort, status, name_or_uuid, tags))
        return self._iter(page_size=page_size, filters=filters, options=options)

    async def get(self, document_id: str, **options: Unpack[RequestOptions]) -> Document:
        """The document as Tavus sees it now (its status, progress, crawl).

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one, and APIError / APIConnectionError as any call.
        """
        return await self._get(document_id, verbose=False, options=options)

    async def update(
        self,
        document_id: str,
        *,
        document_name: str | None = None,
        tags: Collection[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Document:
        """Rename the document or replace its tags; return the document as it is now.

        ``tags`` replaces every tag the document has (``[]`` removes them all). Only what
        is given is sent (a plain JSON body, not a JSON Patch); the same update sent twice
        does the same, so it is retried like any PATCH. Raises ValueError / TypeError for
        an unsafe id or a bare string where a list goes before any request, NotFoundError
        for an unknown id, BadRequestError for what Tavus refuses.
        """
        json_body = body(
            {
                "document_name": optional(check_string, "document_name", document_name),
                "tags": optional(check_strings, "tags", tags),
            }
        )
        path = self._item_path(document_id)
        document: Document = await self._structured(
            "PATCH", path, Document, json_body=json_body, options=check_options(options)
        )
        return document

    async def delete(self, document_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the document and what Tavus made of it.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one.
        """
        await self._delete(document_id, hard=False, options=options)

    async def recrawl(
        self,
        document_id: str,
        *,
        crawl: DocumentCrawl | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Document:
        """Crawl a website document again; return it at once (``recrawling``): ``wait`` for it.

        ``crawl`` overrides the document's stored crawl settings for this run only;
        without it the stored ones are used (a document created without ``crawl`` needs
        one here). Tavus recrawls a document that is ``ready`` or ``error``, at most once
        an hour.

        A recrawl starts work: it is never sent again once it may have reached Tavus.
        Raises ValueError/TypeError for an unsafe id or a ``crawl`` depth or page count
        below 1 before any request; ConflictError while the document is being processed;
        RateLimitError within the hour's cooldown or beyond the account's crawl limits;
        BadRequestError for a document with no crawl settings; NotFoundError for an
        unknown id.
        """
        path = self._item_path(document_id) + "/recrawl"
        crawl_body = optional(_check_crawl, "crawl", crawl)
        json_body = None if crawl_body is None else {"crawl": crawl_body}
        document: Document = await self._structured(
            "POST", path, Document, json_body=json_body, options=check_options(options)
        )
        return document

    async def wait(
        self,
        document_id: str,
        *,
        policy: PollPolicy | None = None,
        on_update: Callable[[Document], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Document:
        """Poll the document until it is ``ready``, and return it.

        ``policy`` sets the pauses and the deadline (default: ``self.default_policy``,
        polling every minute or so for up to an hour). ``on_update`` is called with each
        observed change of status or progress, the first state seen included; it may be a
        function or a coroutine function. With ``callbacks`` (a CallbackReceiver whose url
        the document was created with), a callback ends the wait's current pause at once
        and one GET confirms it; the default policy then polls only as a fallback
        (``DOCUMENT_FALLBACK_POLICY``). After ``recrawl``, it waits for the recrawl. The
        options apply to every poll; the deadline stays ``policy.timeout``.

        Raises DocumentProcessingError (``.job`` is the document, the message carries
        Tavus's ``error_message``) when it ends ``error``; WaitTimeoutError (``.last``,
        ``.elapsed``) at the deadline; APIError for 400/401/403/404. Connection trouble,
        429, 5xx and malformed bodies do not end the wait before its deadline.
        """
        return await self._wait(
            document_id, policy=policy, on_update=on_update, callbacks=callbacks, options=options
        )

    def watch(
        self,
        document_id: str,
        *,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Document, None]:
        """Each observed change of the document (status or progress), ending after the last.

        The same state is never yielded twice in a row. A failed document is yielded, not
        raised: read its ``status`` and ``error_message``. Raises WaitTimeoutError at the
        deadline and APIError for 400/401/403/404.
        """
        return self._watch(document_id, policy=policy, callbacks=callbacks, options=options)

    def wait_many(
        self,
        ids: Iterable[str],
        *,
        policy: PollPolicy | None = None,
        concurrency: int = 16,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[WaitOutcome[Document], None]:
        """Wait for many documents: one WaitOutcome per id, in the order they end.

        At most ``concurrency`` waits run at once. An outcome's ``ok`` is True for a ready
        document; otherwise ``error`` says why (DocumentProcessingError, the deadline, an
        unknown id) and ``result`` is the failed document when one was seen. Leaving the
        loop early cancels the waits still running.
        """
        return self._wait_many(
            ids, policy=policy, concurrency=concurrency, callbacks=callbacks, options=options
        )
