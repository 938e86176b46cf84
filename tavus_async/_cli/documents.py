"""``tavus-async documents``: the generic commands, ``list`` filters, ``create``, ``update``
and ``recrawl``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .arguments import at_least_one
from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "add, list, follow, update, recrawl, delete knowledge-base documents"


def _crawl_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--crawl-depth", type=at_least_one, help=f"{what}: links to follow from the url (1-10)"
    )
    parser.add_argument("--max-pages", type=at_least_one, help=f"{what}: pages at most (1-100)")


def add_commands(actions: Actions) -> None:
    """``list`` filters, ``create``, ``update`` and ``recrawl``."""
    listing = actions.choices["list"]
    listing.add_argument("--status", help="only documents in this state (ready, error, ...)")
    listing.add_argument("--name-or-uuid", help="search names and ids")
    listing.add_argument("--tag", action="append", help="documents with this tag (repeatable)")
    listing.add_argument("--sort", help="ascending (Tavus's default) or descending")
    create = actions.add_parser("create", help="add a file or a website to the knowledge base")
    create.add_argument("--url", required=True, help="the file's or the website's url")
    create.add_argument("--name", help="document_name")
    create.add_argument("--tag", action="append", help="a tag (repeatable)")
    create.add_argument("--callback-url")
    _crawl_options(create, "crawl a website")
    update = actions.add_parser("update", help="rename a document or replace its tags")
    update.add_argument("id")
    update.add_argument("--name", help="the new document_name")
    tags = update.add_mutually_exclusive_group()
    tags.add_argument("--tag", action="append", help="its tags from now on (repeatable)")
    tags.add_argument("--clear-tags", action="store_true", help="remove every tag")
    recrawl = actions.add_parser("recrawl", help="crawl a website document again")
    recrawl.add_argument("id")
    _crawl_options(recrawl, "this run only")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``status``, ``name_or_uuid``, ``tags`` and ``sort`` from ``list``'s options."""
    return {
        "status": args.status,
        "name_or_uuid": args.name_or_uuid,
        "tags": args.tag,
        "sort": args.sort,
    }


def _crawl(args: argparse.Namespace) -> dict[str, int] | None:
    crawl = {"depth": args.crawl_depth, "max_pages": args.max_pages}
    given = {key: value for key, value in crawl.items() if value is not None}
    return given or None


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    document = await tavus.documents.create(
        document_url=args.url,
        document_name=args.name,
        tags=args.tag,
        callback_url=args.callback_url,
        crawl=_crawl(args),
    )
    output.job(document)
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    tags = [] if args.clear_tags else args.tag
    if args.name is None and tags is None:
        raise ValueError("say what to change: --name, --tag or --clear-tags")
    output.job(await tavus.documents.update(args.id, document_name=args.name, tags=tags))
    return 0


async def _recrawl(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    output.job(await tavus.documents.recrawl(args.id, crawl=_crawl(args)))
    return 0


COMMANDS: dict[str, Command] = {"create": _create, "update": _update, "recrawl": _recrawl}
