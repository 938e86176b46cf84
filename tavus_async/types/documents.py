"""Documents: the knowledge base's model, its status words and its crawl settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model, StatusEnum

__all__ = ["Document", "DocumentCrawl", "DocumentErrorCode", "DocumentStatus"]


class DocumentStatus(StatusEnum):
    """Document processing states: ``started`` → ``processing`` → ``ready``, or ``error``;
    ``recrawling`` while a website is crawled again (then ``ready`` or ``error``)."""

    STARTED = "started"
    PROCESSING = "processing"
    READY = "ready"
    ERROR = "error"
    RECRAWLING = "recrawling"


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """A list of strings as a tuple; a bare string is not a list of them."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of strings, not {type(value).__name__}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class DocumentCrawl(Model):
    """How a website is crawled: ``documents.create(crawl=...)``, ``recrawl(crawl=...)``.

    ``depth`` is how many links away from the start url to follow (Tavus takes 1-10;
    1 is the pages the start url links to), ``max_pages`` how many pages at most (1-100).
    Without a crawl, only the page at the url is read. A setting Tavus adds later goes
    in ``extra`` and is sent as it is.
    """

    depth: int | None = None
    max_pages: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


#: The codes Tavus documents in a failed document's ``error_message`` ("possible values
#: include"): another code is kept as the text Tavus sends.
DocumentErrorCode = Literal[
    "file_download_failed",
    "file_format_unsupported",
    "file_size_too_large",
    "file_empty",
    "invalid_file_url",
    "document_processing_failed",
    "website_processing_failed",
    "chunking_failed",
    "embedding_failed",
    "vector_store_failed",
    "contact_support",
]


@attrs.frozen(kw_only=True)
class Document(Model):
    """A document of the knowledge base: a file or a website, processed after upload.

    Older answers name the id ``uuid``: a document read from one has ``document_id`` set
    from it (and ``uuid`` as sent).

    Attributes:
        document_id: Its id (from ``uuid`` in older answers).
        document_name: Its name.
        document_url: The file or web page it was made from.
        status: A ``DocumentStatus`` when Tavus uses a known word, the word itself
            otherwise.
        progress: Tavus's own field, a whole percentage (0-100), set while it processes
            (None before and after).
        error_message: A code saying why a document ended ``error``
            (``file_download_failed``, ``website_processing_failed``, ...).
        callback_url: Where Tavus posts its status.
        tags: Its tags, for ``document_tags``.
        crawl_config: How a crawled website is crawled.
        crawled_urls: The pages a crawl read.
        crawl_count: How many times it was crawled.
        last_crawled_at: When it was last crawled.
        created_at: When it was created.
        updated_at: When it last changed.
        properties: Only in older answers.
        uuid: The id, as older answers name it.
        extra: Every field this version does not know.
    """

    # Filled from ``uuid`` when absent (see __attrs_post_init__): never None once made.
    document_id: str = attrs.field(default=None)
    document_name: str | None = None
    document_url: str | None = None
    status: DocumentStatus | str | None = None
    progress: int | None = None
    error_message: DocumentErrorCode | str | None = None
    callback_url: str | None = None
    tags: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    crawl_config: DocumentCrawl | None = None
    crawled_urls: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    crawl_count: int | None = None
    last_crawled_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    properties: dict[str, Any] | None = attrs.field(default=None, hash=False)
    uuid: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    def __attrs_post_init__(self) -> None:
        if self.document_id is None:
            if self.uuid is None:
                raise TypeError("a document needs its document_id (or, in older answers, uuid)")
            object.__setattr__(self, "document_id", self.uuid)
