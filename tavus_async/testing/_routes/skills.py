"""FakeTavus's skills: Tavus's stock skills, listed (pages from 1) and read by id.

``fake.jobs.skills`` holds skill_id -> its JSON. An unknown skill is a 404.
"""

from __future__ import annotations

from aiohttp import web

from ._common import FamilyRoutes, Refusal, page

__all__ = ["STOCK_SKILLS", "Routes"]

#: Tavus's skills: (skill_id, name, description).
STOCK_SKILLS: tuple[tuple[str, str, str], ...] = (
    ("internet_search", "Internet search", "Search the web during the conversation."),
    ("presentation", "Presentation", "Present slides from documents (document_ids)."),
    ("magic_canvas", "Magic canvas", "Show interactive components on a canvas."),
)


class Routes(FamilyRoutes):
    """Tavus's skill list and get, on ``fake.jobs.skills``."""

    name = "skills"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_get("/v2/skills", self.list_skills)
        router.add_get("/v2/skills/{skill_id}", self.get_skill)

    def seed(self, *, now: float) -> None:
        """The stock skills."""
        for skill_id, name, description in STOCK_SKILLS:
            self.jobs[skill_id] = {"skill_id": skill_id, "name": name, "description": description}

    async def list_skills(self, request: web.Request) -> web.Response:
        return page(request, list(self.jobs.values()), first_page=1)

    async def get_skill(self, request: web.Request) -> web.Response:
        found = self.jobs.get(request.match_info["skill_id"])
        if found is None:
            raise Refusal(f"Unknown skill '{request.match_info['skill_id']}'", status=404)
        return web.json_response(found)
