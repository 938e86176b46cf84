"""Document's own fields: the id from uuid in older answers, crawl settings, open words."""

from __future__ import annotations

import pytest

from tavus_async import Document, DocumentCrawl, DocumentStatus, ResponseValidationError


def test_an_older_answer_with_uuid_fills_document_id() -> None:
    """A body naming the id uuid (older answers) gives a document whose document_id is it."""
    document = Document.from_dict(
        {"uuid": "d290f1ee-6c54", "document_name": "Handbook", "properties": {"team": "hr"}}
    )

    assert document.document_id == "d290f1ee-6c54"
    assert document.uuid == "d290f1ee-6c54"
    assert document.properties == {"team": "hr"}
    assert Document.from_dict(document.to_dict()) == document


def test_document_id_wins_over_uuid_when_both_are_sent() -> None:
    """With both, document_id is the id and uuid is kept as sent."""
    document = Document.from_dict({"document_id": "d1", "uuid": "u1"})

    assert (document.document_id, document.uuid) == ("d1", "u1")


def test_a_document_made_by_hand_takes_uuid_or_refuses_neither() -> None:
    """Document(uuid=...) has that id; with neither id it is a TypeError naming document_id."""
    assert Document(uuid="d9").document_id == "d9"
    with pytest.raises(TypeError, match="document_id"):
        Document()


def test_a_body_with_neither_id_is_a_validation_error() -> None:
    """A callback or answer with no document_id and no uuid is ResponseValidationError."""
    with pytest.raises(ResponseValidationError, match="document_id"):
        Document.from_dict({"status": "ready"})


def test_crawl_settings_keep_a_setting_tavus_adds_later() -> None:
    """crawl_config parses as DocumentCrawl; an unknown setting stays in extra and is written."""
    document = Document.from_dict(
        {"document_id": "d1", "crawl_config": {"depth": 2, "max_pages": 10, "same_domain": True}}
    )

    assert document.crawl_config == DocumentCrawl(
        depth=2, max_pages=10, extra={"same_domain": True}
    )
    assert document.to_dict()["crawl_config"] == {"depth": 2, "max_pages": 10, "same_domain": True}


def test_an_unknown_status_or_error_code_stays_a_word() -> None:
    """A status or error code this version does not know is kept as Tavus's word."""
    document = Document.from_dict(
        {"document_id": "d1", "status": "indexing", "error_message": "ocr_failed"}
    )

    assert (document.status, document.error_message) == ("indexing", "ocr_failed")
    assert Document.from_dict({"document_id": "d1", "status": "recrawling"}).status is (
        DocumentStatus.RECRAWLING
    )


def test_lists_given_by_hand_are_kept_as_tuples() -> None:
    """tags and crawled_urls given as lists become tuples (the model stays hashable)."""
    document = Document(document_id="d1", tags=["a", "b"], crawled_urls=["https://e.com/"])

    assert document.tags == ("a", "b")
    assert hash(document) == hash(
        Document(document_id="d1", tags=("a", "b"), crawled_urls=("https://e.com/",))
    )
    with pytest.raises(TypeError, match="list of strings"):
        Document(document_id="d1", tags="a")  # type: ignore[arg-type]
