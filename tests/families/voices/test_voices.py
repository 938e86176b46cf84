"""voices.list / iter: the query sent, Tavus's documented answer, and FakeTavus's stock voices."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import TavusClient, Voice, VoiceTag
from tavus_async.testing import FakeTavus

from _support.http import BASE, sent, total_requests

VOICES = f"{BASE}/v2/voices"
# Tavus's List Voices answer example.
DOCS_ANSWER = {
    "data": [
        {"voice_name": "anna", "replica_id": "r90bbd427f71", "audio_url": None,
         "tags": [{"tag_name": "female"}]},
    ],
    "total_count": 1,
    "page": 1,
    "limit": 10,
}  # fmt: skip


async def test_list_sends_every_filter_and_reads_the_voices(client: TavusClient, http: Any) -> None:
    """list sends limit, page, search, sort and tag, and reads each voice and its tags."""
    url = f"{VOICES}?limit=10&page=1&search=AN&sort=desc&tag=female"
    http.get(url, payload=DOCS_ANSWER)

    page = await client.voices.list(limit=10, page=1, search="AN", sort="desc", tag="female")

    assert len(sent(http, "GET", url)) == 1
    assert page.total_count == 1
    assert list(page) == [
        Voice(
            voice_name="anna",
            replica_id="r90bbd427f71",
            audio_url=None,
            tags=(VoiceTag(tag_name="female"),),
        )
    ]


async def test_a_face_id_of_a_newer_answer_is_kept(client: TavusClient, http: Any) -> None:
    """Fields this version does not know (a face_id, say) stay in extra."""
    http.get(VOICES, payload={"data": [{"voice_name": "anna", "face_id": "r1"}]})

    (voice,) = await client.voices.list()

    assert voice.extra == {"face_id": "r1"}


async def test_iter_walks_every_page_once(client: TavusClient, http: Any) -> None:
    """iter reads a server counting from 1: page 0 is its first, page 1 repeats it (dropped)."""
    first = {"data": [{"voice_name": "anna"}, {"voice_name": "ben"}], "total_count": 3}
    http.get(f"{VOICES}?limit=2&page=0&tag=english", payload=first)
    http.get(f"{VOICES}?limit=2&page=1&tag=english", payload=first)
    http.get(
        f"{VOICES}?limit=2&page=2&tag=english",
        payload={"data": [{"voice_name": "carmen"}], "total_count": 3},
    )

    walked = [v.voice_name async for v in client.voices.iter(page_size=2, tag="english")]

    assert walked == ["anna", "ben", "carmen"]


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"search": 5}, TypeError, "search"),
        ({"tag": ["female"]}, TypeError, "tag"),
        ({"sort": ""}, ValueError, "sort"),
        ({"limit": 0}, ValueError, "limit"),
        ({"page": "2"}, TypeError, "page"),
        ({"extra_body": {"x": 1}}, ValueError, "extra_body"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type, named: str
) -> None:
    """A bad filter or page is refused before any request, naming it."""
    with pytest.raises(error, match=named):
        await client.voices.list(**arguments)

    assert total_requests(http) == 0


def test_voices_have_no_other_calls(client: TavusClient) -> None:
    """Tavus documents only the list: there is no get, create or delete to call by mistake."""
    for name in ("get", "create", "delete", "update"):
        assert not hasattr(client.voices, name)


async def test_faketavus_lists_its_stock_voices(tavus: TavusClient, fake: FakeTavus) -> None:
    """FakeTavus's stock voices filter by search and tag (any case), sort, and page from 1."""
    every = [v.voice_name async for v in tavus.voices.iter(page_size=3)]
    female = await tavus.voices.list(tag="FEMALE", sort="desc")
    found = await tavus.voices.list(search="MEN")
    second = await tavus.voices.list(limit=2, page=2)

    assert every == ["anna", "ben", "carmen", "dmitri"]
    assert [v.voice_name for v in female] == ["carmen", "anna"]
    assert [v.voice_name for v in found] == ["carmen"]
    assert ([v.voice_name for v in second], second.total_count) == (["carmen", "dmitri"], 4)
    assert {r.path for r in fake.requests} == {"/v2/voices"}
