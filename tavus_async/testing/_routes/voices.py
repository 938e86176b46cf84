"""FakeTavus's voices: ``GET /v2/voices`` over a few stock voices, as Tavus pages them.

Pages count from 1 (page 0 is read as the first); ``search`` keeps names holding it and
``tag`` voices with that tag (any case); ``sort`` is by name, ``asc`` unless ``desc``.
The answer carries ``data``, ``total_count``, ``page`` and ``limit``. Voices are keyed by
name in ``fake.jobs.voices``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ._common import FamilyRoutes, Refusal

__all__ = ["STOCK_VOICES", "Routes"]

#: Tavus's stock voices: (voice_name, replica_id, tags); anna is the documentation's.
STOCK_VOICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("anna", "r90bbd427f71", ("female", "english")),
    ("ben", "r4c41453d2", ("male", "english")),
    ("carmen", "r1af76e94d", ("female", "spanish")),
    ("dmitri", "r6ca16dbe1", ("male", "russian")),
)
_SAMPLE = "https://voices.example.com/{}.mp3"


class Routes(FamilyRoutes):
    """Tavus's voice list, on ``fake.jobs.voices``."""

    name = "voices"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_get("/v2/voices", self.list_voices)

    def seed(self, *, now: float) -> None:
        """The stock voices (fixed, so that no seeded id moves)."""
        for voice_name, replica_id, tags in STOCK_VOICES:
            self.jobs[voice_name] = {
                "voice_name": voice_name,
                "replica_id": replica_id,
                # A sample for some voices only: Tavus sends null for the others.
                "audio_url": _SAMPLE.format(voice_name) if voice_name == "anna" else None,
                "tags": [{"tag_name": tag} for tag in tags],
            }

    async def list_voices(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", "10"))
            number = int(query.get("page", "1"))
        except ValueError:
            raise Refusal("limit and page must be whole numbers") from None
        if not 1 <= limit <= 100:
            raise Refusal("limit must be from 1 to 100")
        sort = query.get("sort", "asc")
        if sort not in ("asc", "desc"):
            raise Refusal("sort must be asc or desc")
        search = query.get("search", "").lower()
        tag = query.get("tag", "").lower()
        voices: list[dict[str, Any]] = [
            voice
            for voice in self.jobs.values()
            if search in voice["voice_name"].lower()
            and (not tag or any(t["tag_name"].lower() == tag for t in voice["tags"]))
        ]
        voices.sort(key=lambda voice: voice["voice_name"], reverse=sort == "desc")
        start = (max(number, 1) - 1) * limit
        return web.json_response(
            {
                "data": voices[start : start + limit],
                "total_count": len(voices),
                "page": number,
                "limit": limit,
            }
        )
