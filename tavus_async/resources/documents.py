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
        .xlsx of up to 50 MB) or a web page. Without ``crawl`` only the page itself is read.
        Tavus processes the document in minutes: ``wait`` for it. Only what is given is
        sent.

        The request is never retried once it may have reached Tavus (a second create is a
        second document).

        Args:
            document_url: The file or web page to add.
            document_name: The document's name.
            tags: Names for ``document_tags`` on personas and conversations.
            callback_url: Where Tavus posts the document's status when processing ends.
            crawl: Follow a website's links: a DocumentCrawl or a mapping with ``depth`` and
                ``max_pages``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new document, ``started``: ``wait`` for it.

        Raises:
            ValueError: Before any request, for a ``document_url`` or ``callback_url`` that is
                not an http(s) url, or a ``crawl`` depth or page count below 1.
            TypeError: Before any request, for a bare string where a list goes, or an argument
                of the wrong type.
            RateLimitError: The account has as many crawled documents as it may.
            APIError: Tavus refused the document.
            APIConnectionError: No answer came (its message says whether the document may
                exist).
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
        nothing is created again. The wait's arguments are checked before anything is
        created.

        Args:
            document_url: As for ``create``.
            document_name: As for ``create``.
            tags: As for ``create``.
            callback_url: As for ``create``; left out with ``callbacks``, the receiver's url.
            crawl: As for ``create``.
            policy: As for ``wait``.
            on_update: As for ``wait``.
            callbacks: As for ``wait``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``); ``extra_body`` goes with
                the create alone, the others with the create and every poll.

        Returns:
            The ready document.

        Raises:
            ValueError: What ``create`` and ``wait`` raise it for, before anything is created.
            TypeError: What ``create`` and ``wait`` raise it for, before anything is created.
            DocumentProcessingError: The document ended ``error``.
            WaitTimeoutError: The wait's deadline passed.
            APIError: What ``create`` and ``wait`` raise it for.
            APIConnectionError: The create got no answer (nothing is created again).
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

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch, counting from 0.
            sort: ``ascending`` (Tavus's default) or ``descending``.
            status: Keep the documents in this state.
            name_or_uuid: Search the names and ids.
            tags: Keep the documents with any of these tags (sent comma-separated).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its documents in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit``, ``page`` or filter (a tag holding a comma), before
                any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
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

        Args:
            page_size: How many each request fetches (1-100).
            sort: As for ``list``.
            status: As for ``list``.
            name_or_uuid: As for ``list``.
            tags: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each document.

        Raises:
            ValueError: At once, for a bad ``page_size`` or filter, or for ``limit`` or
                ``page`` in ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = query(_filters(sort, status, name_or_uuid, tags))
        return self._iter(page_size=page_size, filters=filters, options=options)

    async def get(self, document_id: str, **options: Unpack[RequestOptions]) -> Document:
        """The document as Tavus sees it now (its status, progress, crawl).

        Args:
            document_id: The document's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The document.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
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

        Only what is given is sent (a plain JSON body, not a JSON Patch); the same update
        sent twice does the same, so it is retried like any PATCH.

        Args:
            document_id: The document's id.
            document_name: Its new name.
            tags: Its new tags: they replace every tag it has (``[]`` removes them all).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The document as it is now.

        Raises:
            ValueError: An unsafe id, before any request.
            TypeError: A bare string where a list goes, before any request.
            NotFoundError: An unknown id.
            BadRequestError: What Tavus refuses.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
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

        Args:
            document_id: The document's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
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

        Tavus recrawls a document that is ``ready`` or ``error``, at most once an hour. A
        recrawl starts work: it is never sent again once it may have reached Tavus.

        Args:
            document_id: The document's id.
            crawl: Crawl settings for this run only (a DocumentCrawl or a mapping); without
                it the stored ones are used (a document created without ``crawl`` needs one
                here).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The document, ``recrawling``.

        Raises:
            ValueError: An unsafe id or a ``crawl`` depth or page count below 1, before any
                request.
            TypeError: A ``crawl`` of the wrong type, before any request.
            ConflictError: The document is being processed.
            RateLimitError: Within the hour's cooldown, or beyond the account's crawl limits.
            BadRequestError: A document with no crawl settings.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
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

        ``on_update`` is called with each observed change of status or progress, the first
        state seen included. With ``callbacks``, a callback ends the wait's current pause at
        once and one GET confirms it; the default policy then polls only as a fallback
        (``DOCUMENT_FALLBACK_POLICY``). After ``recrawl``, it waits for the recrawl. The
        deadline stays ``policy.timeout``. Connection trouble, 429, 5xx and malformed bodies
        do not end the wait before its deadline.

        Args:
            document_id: The document's id.
            policy: The pauses and the deadline (default: ``self.default_policy``, polling
                every minute or so for up to an hour).
            on_update: Called with each observed change, the first state seen included; a
                function or a coroutine function.
            callbacks: A CallbackReceiver whose url the document was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Returns:
            The ready document.

        Raises:
            DocumentProcessingError: The document ended ``error`` (``.job`` is the document,
                the message carries Tavus's ``error_message``).
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, before any request.
            TypeError: A ``policy`` that is not a PollPolicy, or an ``on_update`` that is not
                callable, before any request.
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
        raised: read its ``status`` and ``error_message``.

        Args:
            document_id: The document's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            callbacks: A CallbackReceiver whose url the document was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Yields:
            The document, each time its status or progress changed.

        Raises:
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, at once.
            TypeError: A ``policy`` that is not a PollPolicy, at once.
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

        An outcome's ``ok`` is True for a ready document; otherwise ``error`` says why
        (DocumentProcessingError, the deadline, an unknown id) and ``result`` is the failed
        document when one was seen. Leaving the loop early cancels the waits still running.

        Args:
            ids: The documents' ids.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            concurrency: At most this many waits run at once.
            callbacks: A CallbackReceiver whose url the documents was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Yields:
            One outcome per id, as its wait ends.

        Raises:
            TypeError: At once, for ``ids`` that are not a list of ids, a ``concurrency``
                that is not an int or a ``policy`` that is not a PollPolicy.
            ValueError: At once, for an unsafe id, a ``concurrency`` below 1 or ``extra_body``
                in the options.
        """
        return self._wait_many(
            ids, policy=policy, concurrency=concurrency, callbacks=callbacks, options=options
        )
