"""``tavus.conversations``: create, list, get, end, delete conversations; wait for their
end and their transcript."""

from __future__ import annotations

import builtins
import functools
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from .._core.arguments import (
    check_bool,
    check_id,
    check_settings,
    check_string,
    check_text,
    check_url,
    optional,
)
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from .._exceptions import WaitTimeoutError
from ..types.conversations import (
    Conversation,
    ConversationEvent,
    ConversationProperties,
    ConversationStatus,
    TranscriptMessage,
)
from ..waiting import engine
from ..waiting.engine import Subscriber, WaitOutcome
from ..waiting.jobs import JobKind, JobState
from ..waiting.policy import PollPolicy
from ._base import JobResource, _check_callbacks, body, paging, query
from ._spec import FamilySpec

__all__ = [
    "CONVERSATIONS",
    "CONVERSATION_FALLBACK_POLICY",
    "CONVERSATION_POLICY",
    "TRANSCRIPT_GRACE",
    "Conversations",
]

#: Calls last minutes to an hour (Tavus's longest is ``max_call_duration``, 3600 s by
#: default): first poll 5-10 s after the start, backing off to about once a minute
#: (55-60 s); give up after 2 hours.
CONVERSATION_POLICY = PollPolicy(
    initial=10.0, maximum=60.0, multiplier=1.5, jitter=5.0, timeout=2 * 3600.0
)
#: With callbacks, polling is only the fallback for a callback that never comes: a
#: conversation is looked at again after 5 minutes, then up to every 15.
CONVERSATION_FALLBACK_POLICY = PollPolicy(
    initial=300.0, maximum=900.0, multiplier=2.0, jitter=30.0, timeout=2 * 3600.0
)
#: How long ``wait_for_transcript`` keeps looking once it has seen the conversation
#: ended without a transcript (Tavus saves it shortly after the end), in seconds.
TRANSCRIPT_GRACE = 600.0

_TRANSCRIPT_EVENT = "application.transcription_ready"

CONVERSATIONS: FamilySpec[Conversation] = FamilySpec(
    name="conversations",
    noun="conversation",
    path="/v2/conversations",
    model=Conversation,
    id_field="conversation_id",
    verbose=True,
    # Tavus tells why a call ended (shutdown_reason, the events) only in the verbose
    # object: a wait's result should say it.
    poll_verbose=True,
    hard_delete=True,
    # A conversation ends whatever the reason: the reason is data, not a failure.
    job=JobKind(
        name="conversation",
        id_field="conversation_id",
        progress_field="status",
        states={"active": JobState.PENDING, "ended": JobState.DONE},
        failure=None,
        reason_fields=("shutdown_reason",),
        default_policy=CONVERSATION_POLICY,
        fallback_policy=CONVERSATION_FALLBACK_POLICY,
    ),
    callback_key="conversation_id",
    callback_model=ConversationEvent,
    columns=("conversation_id", "conversation_name", "status", "replica_id", "created_at"),
)


def _has_transcript(conversation: Conversation) -> bool:
    """Whether Tavus has saved the transcript (checked without parsing it)."""
    return conversation.event(_TRANSCRIPT_EVENT) is not None or isinstance(
        conversation.extra.get("transcript"), list
    )


@attrs.frozen(kw_only=True)
class _TranscriptKind(JobKind[Conversation]):
    """Waiting for a transcript: done once the verbose conversation carries it."""

    def state(self, job: Conversation) -> JobState:
        return JobState.DONE if _has_transcript(job) else JobState.PENDING

    def change_key(self, job: Conversation) -> tuple[object, object]:
        return (job.status, _has_transcript(job))


_TRANSCRIPT_KIND = _TranscriptKind(
    name="conversation transcript",
    id_field="conversation_id",
    progress_field="status",
    states={},
    failure=None,
    reason_fields=("shutdown_reason",),
    default_policy=CONVERSATION_POLICY,
    fallback_policy=CONVERSATION_FALLBACK_POLICY,
)


def _check_properties(name: str, value: object) -> dict[str, Any]:
    return check_settings(name, value, ConversationProperties)


def _check_words(name: str, value: object) -> list[str]:
    """A list of strings (ids, tags, store names); a bare string is not a list of them."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of strings, not {type(value).__name__}")
    return [check_text(f"{name}[{i}]", item) for i, item in enumerate(value)]


def _check_participants(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 2:  # the replica is one of them
        raise ValueError(f"{name} must be 2 or more (the replica counts as one), got {value}")
    return value


def _check_grace(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"grace must be a number of seconds, not {type(value).__name__}")
    if not 0 <= value < float("inf"):
        raise ValueError(f"grace must be a finite number, 0 or more, got {value!r}")
    return float(value)


class Conversations(JobResource[Conversation]):
    """The conversations of the account: ``POST/GET/DELETE /v2/conversations`` and
    ``POST /v2/conversations/{id}/end``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``); waits apply them to every poll.
    """

    spec = CONVERSATIONS
    _SEVERAL_REQUESTS = JobResource._SEVERAL_REQUESTS | {"wait_for_transcript"}

    async def create(
        self,
        *,
        replica_id: str | None = None,
        persona_id: str | None = None,
        conversation_name: str | None = None,
        conversational_context: str | None = None,
        custom_greeting: str | None = None,
        callback_url: str | None = None,
        memory_stores: Sequence[str] | None = None,
        document_ids: Sequence[str] | None = None,
        document_retrieval_strategy: Literal["speed", "quality", "balanced"] | str | None = None,
        document_tags: Sequence[str] | None = None,
        audio_only: bool | None = None,
        test_mode: bool | None = None,
        require_auth: bool | None = None,
        max_participants: int | None = None,
        properties: ConversationProperties | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Open a conversation room and return it at once (``active``, with its
        ``conversation_url``).

        The replica is ``replica_id``, or the persona's ``default_replica_id``.
        ``conversational_context`` is added to the persona's context; ``custom_greeting``
        replaces its greeting. ``memory_stores`` name the stores memories are read from
        and written to; ``document_ids`` / ``document_tags`` add knowledge, retrieved by
        ``document_retrieval_strategy``. ``require_auth=True`` makes a private room: the
        answer carries ``meeting_token``. ``test_mode=True`` creates it ended, with no
        replica joining and no cost. Only what is given is sent.

        The request is never retried once it may have reached Tavus (a second create is
        a second call, billed).

        Args:
            replica_id: The replica that joins (left out: the persona's
                ``default_replica_id``).
            persona_id: The persona the replica plays.
            conversation_name: The conversation's name.
            conversational_context: Context added to the persona's, for this conversation.
            custom_greeting: What the replica says first, instead of the persona's greeting.
            callback_url: Where Tavus posts the conversation's events.
            memory_stores: The stores memories are read from and written to.
            document_ids: Documents of the knowledge base to draw on.
            document_retrieval_strategy: ``speed``, ``quality`` or ``balanced``.
            document_tags: Draw on the documents with these tags too.
            audio_only: An audio-only conversation.
            test_mode: Create it ended, with no replica joining and no cost.
            require_auth: A private room: the answer carries ``meeting_token``.
            max_participants: The most people in the room (2 or more).
            properties: The call's settings: a ``ConversationProperties`` or a mapping.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new conversation, ``active``: join it at ``conversation_url``.

        Raises:
            ValueError: Before any request, for an empty id, a malformed ``callback_url`` or
                fewer than 2 ``max_participants``.
            TypeError: Before any request, for an argument of the wrong type.
            APIError: Tavus refused the conversation (400 for an unknown replica).
            APIConnectionError: No answer came (its message says whether the conversation may
                exist).
        """
        json_body = body(
            {
                "replica_id": optional(check_text, "replica_id", replica_id),
                "persona_id": optional(check_text, "persona_id", persona_id),
                "conversation_name": optional(check_string, "conversation_name", conversation_name),
                "conversational_context": optional(
                    check_string, "conversational_context", conversational_context
                ),
                "custom_greeting": optional(check_string, "custom_greeting", custom_greeting),
                "callback_url": optional(check_url, "callback_url", callback_url),
                "memory_stores": optional(_check_words, "memory_stores", memory_stores),
                "document_ids": optional(_check_words, "document_ids", document_ids),
                "document_retrieval_strategy": optional(
                    check_text, "document_retrieval_strategy", document_retrieval_strategy
                ),
                "document_tags": optional(_check_words, "document_tags", document_tags),
                "audio_only": optional(check_bool, "audio_only", audio_only),
                "test_mode": optional(check_bool, "test_mode", test_mode),
                "require_auth": optional(check_bool, "require_auth", require_auth),
                "max_participants": optional(
                    _check_participants, "max_participants", max_participants
                ),
                "properties": optional(_check_properties, "properties", properties),
            }
        )
        return await self._create(json_body, options)

    async def create_and_wait(
        self,
        *,
        replica_id: str | None = None,
        persona_id: str | None = None,
        conversation_name: str | None = None,
        conversational_context: str | None = None,
        custom_greeting: str | None = None,
        callback_url: str | None = None,
        memory_stores: Sequence[str] | None = None,
        document_ids: Sequence[str] | None = None,
        document_retrieval_strategy: Literal["speed", "quality", "balanced"] | str | None = None,
        document_tags: Sequence[str] | None = None,
        audio_only: bool | None = None,
        test_mode: bool | None = None,
        require_auth: bool | None = None,
        max_participants: int | None = None,
        properties: ConversationProperties | Mapping[str, Any] | None = None,
        policy: PollPolicy | None = None,
        on_update: Callable[[Conversation], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """``create`` with these arguments, then ``wait`` for the conversation's end.

        With ``callbacks`` and no ``callback_url``, the receiver's url is sent. The create
        is sent once. The wait's arguments are checked before anything is created.

        Args:
            replica_id: As for ``create``.
            persona_id: As for ``create``.
            conversation_name: As for ``create``.
            conversational_context: As for ``create``.
            custom_greeting: As for ``create``.
            callback_url: As for ``create``; left out with ``callbacks``, the receiver's url.
            memory_stores: As for ``create``.
            document_ids: As for ``create``.
            document_retrieval_strategy: As for ``create``.
            document_tags: As for ``create``.
            audio_only: As for ``create``.
            test_mode: As for ``create``.
            require_auth: As for ``create``.
            max_participants: As for ``create``.
            properties: As for ``create``.
            policy: As for ``wait``.
            on_update: As for ``wait``.
            callbacks: As for ``wait``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``); ``extra_body`` goes with
                the create alone, the others with the create and every poll.

        Returns:
            The ended conversation (``ended_because`` says why it ended).

        Raises:
            ValueError: What ``create`` and ``wait`` raise it for, before anything is created.
            TypeError: What ``create`` and ``wait`` raise it for, before anything is created.
            WaitTimeoutError: The wait's deadline passed.
            APIError: What ``create`` and ``wait`` raise it for.
            APIConnectionError: The create got no answer (nothing is created again).
        """
        create = functools.partial(
            self.create,
            replica_id=replica_id,
            persona_id=persona_id,
            conversation_name=conversation_name,
            conversational_context=conversational_context,
            custom_greeting=custom_greeting,
            memory_stores=memory_stores,
            document_ids=document_ids,
            document_retrieval_strategy=document_retrieval_strategy,
            document_tags=document_tags,
            audio_only=audio_only,
            test_mode=test_mode,
            require_auth=require_auth,
            max_participants=max_participants,
            properties=properties,
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
        status: ConversationStatus | Literal["active", "ended"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Conversation]:
        """One page of conversations (``.data``, ``.total_count``), only those of
        ``status`` when given.

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch.
            status: Keep the conversations in this state (``active``, ``ended``).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its conversations in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit``, ``page`` or ``status``, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = {"status": optional(check_text, "status", status)}
        return await self._list(query({**paging(limit, page), **filters}), options)

    def iter(
        self,
        *,
        page_size: int = 50,
        status: ConversationStatus | Literal["active", "ended"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Conversation, None]:
        """Every conversation (of ``status``) of every page, each once, ``page_size``
        (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            status: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each conversation.

        Raises:
            ValueError: At once, for a bad ``page_size`` or ``status``, or for ``limit`` or
                ``page`` in ``extra_query`` (``iter`` sets those itself).
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = query({"status": optional(check_text, "status", status)})
        return self._iter(page_size=page_size, filters=filters, options=options)

    async def get(
        self, conversation_id: str, *, verbose: bool = False, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """The conversation as Tavus sees it now; ``verbose=True`` adds its ``events``
        (and so its ``transcript`` once saved).

        Args:
            conversation_id: The conversation's id.
            verbose: Ask for its ``events`` too.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The conversation.

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(
            conversation_id, verbose=check_bool("verbose", verbose), options=options
        )

    async def end(self, conversation_id: str, **options: Unpack[RequestOptions]) -> None:
        """End the conversation: the replica leaves and the room closes.

        Tavus then reports ``shutdown_reason`` ``end_conversation_endpoint_hit``. Ending
        an ended conversation does no harm, so the request is retried like a read.

        Args:
            conversation_id: The conversation's id.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._item_path(conversation_id) + "/end"
        await self._requester.request(
            "POST", path, expect_body=False, idempotent=True, options=check_options(options)
        )

    async def delete(
        self, conversation_id: str, *, hard: bool = False, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the conversation. ``hard=True`` also deletes its assets, irrevocably.

        Args:
            conversation_id: The conversation's id.
            hard: Also delete its assets, irrevocably.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(conversation_id, hard=check_bool("hard", hard), options=options)

    async def wait(
        self,
        conversation_id: str,
        *,
        policy: PollPolicy | None = None,
        on_update: Callable[[Conversation], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Poll the conversation until it has ``ended``, and return it.

        It returns the ended conversation whatever its ``shutdown_reason``: how a call
        ends is data, not an error. Tavus tells the reason only in the verbose object, so
        every poll asks for it: the result's ``ended_because`` says why it ended, and its
        ``events`` what happened. ``on_update`` is called with each change of status, the
        first state seen included. With ``callbacks``, a callback ends the current pause and
        one GET confirms it; the default policy then polls only as a fallback. Connection
        trouble, 429, 5xx and malformed bodies do not end the wait before its deadline.

        Args:
            conversation_id: The conversation's id.
            policy: The pauses and the deadline (default: ``self.default_policy``, two
                hours).
            on_update: Called with each observed change, the first state seen included; a
                function or a coroutine function.
            callbacks: A CallbackReceiver whose url the conversation was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Returns:
            The ended conversation.

        Raises:
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, before any request.
            TypeError: A ``policy`` that is not a PollPolicy, or an ``on_update`` that is not
                callable, before any request.
        """
        return await self._wait(
            conversation_id,
            policy=policy,
            on_update=on_update,
            callbacks=callbacks,
            options=options,
        )

    def watch(
        self,
        conversation_id: str,
        *,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Conversation, None]:
        """Each observed change of the conversation's status, ending with ``ended``.

        Args:
            conversation_id: The conversation's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            callbacks: A CallbackReceiver whose url the conversation was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Yields:
            The conversation, each time its status changed.

        Raises:
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, at once.
            TypeError: A ``policy`` that is not a PollPolicy, at once.
        """
        return self._watch(conversation_id, policy=policy, callbacks=callbacks, options=options)

    def wait_many(
        self,
        ids: Iterable[str],
        *,
        policy: PollPolicy | None = None,
        concurrency: int = 16,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[WaitOutcome[Conversation], None]:
        """Wait for many conversations to end: one WaitOutcome per id, as they end.

        An outcome's ``error`` says why one did not end in time (the deadline, an unknown
        id). Leaving the loop early cancels the waits still running.

        Args:
            ids: The conversations' ids.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            concurrency: At most this many waits run at once.
            callbacks: A CallbackReceiver whose url the conversations was created with.
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

    async def wait_for_transcript(
        self,
        conversation_id: str,
        *,
        policy: PollPolicy | None = None,
        on_update: Callable[[Conversation], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        grace: float = TRANSCRIPT_GRACE,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[TranscriptMessage]:
        """Poll the verbose conversation until Tavus has saved its transcript; return it.

        The transcript comes shortly after the end (the ``application.transcription_ready``
        event); the messages have ``.role`` and ``.content``. A conversation that ended
        ``grace`` seconds ago (the first poll that sees it ended starts the count) with no
        transcript will get none: the wait then raises WaitTimeoutError whose ``.last`` is
        that conversation (``ended_because`` says why it ended). Transient trouble does not
        end the wait.

        Args:
            conversation_id: The conversation's id.
            policy: As for ``wait``.
            on_update: As for ``wait``: called with each change of status, and the
                transcript's arrival.
            callbacks: As for ``wait``: the transcription callback wakes the wait.
            grace: Seconds to wait for the transcript once the conversation is seen ended
                (10 minutes by default).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Returns:
            The transcript's messages.

        Raises:
            WaitTimeoutError: The policy's deadline passed, or the grace after the end.
            APIError: Tavus answered 400, 401, 403 or 404.
            ResponseValidationError: A transcript whose messages do not fit.
            ValueError: An unsafe id, a negative ``grace`` or ``extra_body`` in the options,
                before any request.
            TypeError: A ``policy`` that is not a PollPolicy, an ``on_update`` that is not
                callable or a ``grace`` that is not a number, before any request.
        """
        conversation_id = check_id("conversation_id", conversation_id)
        if on_update is not None and not callable(on_update):
            raise TypeError(f"on_update must be callable, not {type(on_update).__name__}")
        seconds = _check_grace(grace)
        clock = self._requester.clock
        fetch = self._fetcher(check_options(options), verbose=True)
        started, ended_seen = clock(), None

        async def fetch_within_grace(job_id: str) -> Conversation:
            nonlocal ended_seen
            conversation = await fetch(job_id)
            if conversation.ended and not _has_transcript(conversation):
                now = clock()
                ended_seen = now if ended_seen is None else ended_seen
                if now - ended_seen >= seconds:
                    reason = conversation.ended_because or "no reason given"
                    raise WaitTimeoutError(
                        f"conversation {job_id} ended ({reason}) and no transcript came "
                        f"within {seconds:g} s of seeing it ended",
                        last=conversation,
                        elapsed=now - started,
                    )
            return conversation

        ended = await engine.wait(
            fetch_within_grace,
            conversation_id,
            kind=_TRANSCRIPT_KIND,
            policy=self._policy(policy, callbacks),
            clock=clock,
            sleep=self._requester.sleep,
            on_update=on_update,
            callbacks=_check_callbacks(callbacks),
        )
        return ended.transcript or []
