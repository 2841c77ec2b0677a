"""The only code that calls the LINE Messaging API.

It owns retry keys, retries with backoff, the reply-to-push fallback, rate limits and quota.
Callers get plain results or one of the `LineApiError` subclasses; they never see the SDK's
exceptions or retry anything themselves.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, TypeVar

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    CreateRichMenuAliasRequest,
    Message,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    RichMenuBulkUnlinkRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
    UpdateRichMenuAliasRequest,
)

from bot import metrics
from bot.config import Settings
from messages.json_form import json_form

log = logging.getLogger(__name__)
T = TypeVar("T")

# Old "Verify" requests from the LINE console carried these dummy reply tokens.
DUMMY_REPLY_TOKENS = frozenset({"0" * 32, "f" * 32})
MULTICAST_MAX_RECIPIENTS = 500
# LINE keeps a retry key 24 hours; a call first tried longer ago than this may have arrived and
# is not repeated (an hour of margin for clocks).
RETRY_KEY_TRUSTED_FOR = timedelta(hours=23)
COSMETIC_TIMEOUT_S = 2.0  # calls whose answer only decorates a reply (loading animation, display name)


class LineApiError(Exception):
    """A call to LINE that did not succeed; `status` is LINE's HTTP status (0: no answer)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"LINE API {status}: {message}")
        self.status = status
        self.message = message


class SendRejected(LineApiError):
    """LINE refused the request (4xx): retrying the same request cannot help."""


class RateLimited(LineApiError):
    """429 for a rate or concurrency limit: wait and try again with the same retry key."""


class MonthlyQuotaExceeded(LineApiError):
    """429 for the monthly message limit: nothing more can be sent this month."""


class LineUnavailable(LineApiError):
    """5xx or no answer, still failing after every retry (the retry key stays valid)."""


@dataclass(frozen=True)
class SendResult:
    request_id: str | None
    already_accepted: bool = False  # a retry found LINE had accepted the first attempt


@dataclass(frozen=True)
class Quota:
    limited: bool
    limit: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


def new_retry_key() -> str:
    return str(uuid.uuid4())


class LineGateway:
    """Sends messages to LINE (or to the emulator) with retry keys and bounded retries."""

    def __init__(self, settings: Settings, sleep: Callable[[float], None] = time.sleep) -> None:
        configuration = Configuration(host=settings.line_api_base, access_token=settings.channel_access_token)
        configuration.retries = 0  # retries are ours, with the same retry key
        self._client = ApiClient(configuration)
        self._client.rest_client.request = metrics.count_line_calls(self._client.rest_client.request)
        self._api = MessagingApi(self._client)
        self._blob = MessagingApiBlob(self._client)
        self._timeout = settings.line_timeout_s
        self._max_attempts = settings.line_max_attempts
        self._sleep = sleep

    # -- sending -----------------------------------------------------------------------------

    def push(self, user_id: str, messages: Sequence[Message], retry_key: str | None = None) -> SendResult:
        request = PushMessageRequest(to=user_id, messages=list(messages))
        key = retry_key or new_retry_key()
        return self._send(lambda: self._api.push_message_with_http_info(
            request, x_line_retry_key=key, _request_timeout=self._timeout))

    def multicast(self, user_ids: Sequence[str], messages: Sequence[Message], retry_key: str) -> SendResult:
        if not 1 <= len(user_ids) <= MULTICAST_MAX_RECIPIENTS:
            raise ValueError(f"multicast takes 1 to {MULTICAST_MAX_RECIPIENTS} recipients")
        if not all(isinstance(m, Message) for m in messages):
            raise TypeError("multicast takes line-bot-sdk Message models")
        # The messages were validated when they were built: re-validating them and 500 ids on
        # every call was about a third of its CPU (a 100,000-friend fan-out is 200 calls).
        request = MulticastRequest.construct(to=list(user_ids), messages=list(messages))
        return self._send(lambda: self._api.multicast_with_http_info(
            request, x_line_retry_key=retry_key, _request_timeout=self._timeout))

    def broadcast(self, messages: Sequence[Message], retry_key: str) -> SendResult:
        request = BroadcastRequest(messages=list(messages))
        return self._send(lambda: self._api.broadcast_with_http_info(
            request, x_line_retry_key=retry_key, _request_timeout=self._timeout))

    def _send(self, call: Callable[[], Any]) -> SendResult:
        """A call carrying a retry key; a 409 for that key means LINE already accepted it."""

        def refused(exc: ApiException, _attempt: int) -> SendResult:
            if exc.status == 409 and "retry key" in _error_message(exc).lower():
                return SendResult(request_id=_header(exc.headers, "x-line-accepted-request-id"), already_accepted=True)
            raise _classify(exc) from exc

        return self._retrying(lambda: SendResult(request_id=_header(call().headers, "x-line-request-id")), refused)

    # -- other calls -------------------------------------------------------------------------

    def show_loading(self, user_id: str, seconds: int = 20) -> None:
        """Show the '...' animation while a slow answer is prepared; failures are harmless."""
        try:
            self._api.show_loading_animation(
                ShowLoadingAnimationRequest(chatId=user_id, loadingSeconds=seconds),
                _request_timeout=COSMETIC_TIMEOUT_S,
            )
        except (ApiException, urllib3.exceptions.HTTPError):
            log.info("loading animation not shown")

    def display_name(self, user_id: str) -> str | None:
        """The friend's LINE display name, or None when LINE does not give it at once (a greeting
        without the name is better than a handler thread held for the full API timeout)."""
        try:
            return self._api.get_profile(user_id, _request_timeout=COSMETIC_TIMEOUT_S).display_name
        except (ApiException, urllib3.exceptions.HTTPError):
            return None

    def quota(self) -> Quota:
        try:
            quota = self._api.get_message_quota(_request_timeout=self._timeout)
            used = self._api.get_message_quota_consumption(_request_timeout=self._timeout).total_usage
        except ApiException as exc:
            raise _classify(exc) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise LineUnavailable(0, type(exc).__name__) from exc
        limited = quota.type == "limited"
        return Quota(limited=limited, limit=quota.value if limited else None, used=used)

    # -- residents' content ------------------------------------------------------------------

    def message_content(self, message_id: str, max_bytes: int) -> tuple[bytes, str] | None:
        """The bytes and content type of a photo (or file) a resident sent, or None when it is
        larger than `max_bytes`. LINE keeps it for a limited time; after that it answers 404
        (SendRejected)."""
        answer = self._call(lambda: self._blob.get_message_content_with_http_info(
            message_id, _request_timeout=self._timeout))
        data = bytes(answer.data or b"")
        if len(data) > max_bytes:
            return None
        content_type = _header(answer.headers, "content-type") or "application/octet-stream"
        return data, content_type.split(";")[0].strip().lower()

    # -- rich menus --------------------------------------------------------------------------

    def rich_menus(self) -> list[tuple[str, str]]:
        """(id, name) of every rich menu of the channel."""
        menus = self._call(lambda: self._api.get_rich_menu_list(_request_timeout=self._timeout))
        return [(menu.rich_menu_id, menu.name) for menu in menus.richmenus]

    def create_rich_menu(self, definition: dict[str, Any], image: bytes, content_type: str) -> str:
        """Create a menu and upload its image (an image cannot be replaced: a change is a new menu)."""
        request = RichMenuRequest.from_dict(definition)
        menu_id = self._call(lambda: self._api.create_rich_menu(request, _request_timeout=self._timeout)).rich_menu_id
        self._call(
            lambda: self._blob.set_rich_menu_image(
                menu_id, body=image, _headers={"Content-Type": content_type}, _request_timeout=self._timeout
            )
        )
        return menu_id

    def set_default_rich_menu(self, menu_id: str) -> None:
        self._call(lambda: self._api.set_default_rich_menu(menu_id, _request_timeout=self._timeout))

    def delete_rich_menu(self, menu_id: str) -> None:
        self._call(lambda: self._api.delete_rich_menu(menu_id, _request_timeout=self._timeout))

    def _call(self, call: Callable[[], T]) -> T:
        """An idempotent call (no retry key needed), with LINE's errors classified."""
        return self._retrying(call)

    def _retrying(self, call: Callable[[], T], refused: Callable[[ApiException, int], T] | None = None) -> T:
        """Make `call` until LINE answers. 5xx and no answer are retried with backoff (a call with a
        retry key repeats the same key); 4xx never: `refused(exc, attempt)` turns it into a result
        or raises, and without it the 4xx is raised classified (a 429 is RateLimited, for the
        caller to wait out, or MonthlyQuotaExceeded). Failing after every attempt: LineUnavailable."""
        last_error = LineUnavailable(0, "LINE did not answer")
        for attempt in range(self._max_attempts):
            metrics.line_attempt(attempt)
            try:
                return call()
            except ApiException as exc:
                if exc.status < 500:
                    if refused is None:
                        raise _classify(exc) from exc
                    return refused(exc, attempt)
                last_error = LineUnavailable(exc.status, _error_message(exc))
            except urllib3.exceptions.HTTPError as exc:
                last_error = LineUnavailable(0, type(exc).__name__)
            self._backoff(attempt)
        raise last_error

    def _backoff(self, attempt: int) -> None:
        if attempt + 1 < self._max_attempts:
            self._sleep(min(0.2 * 2**attempt, 5.0) * (0.5 + random.random()))

    def close(self) -> None:
        self._client.close()

    # -- rich menu aliases, the default menu, per-user links (tabs and disaster mode) ----------

    def default_rich_menu_id(self) -> str | None:
        """The menu shown to everyone without a menu of their own; None when there is none."""
        try:
            return self._call(lambda: self._api.get_default_rich_menu_id(_request_timeout=self._timeout)).rich_menu_id
        except SendRejected as exc:
            if exc.status == 404:
                return None
            raise

    def rich_menu_aliases(self) -> list[tuple[str, str]]:
        """(alias id, rich menu id) of every alias of the channel."""
        found = self._call(lambda: self._api.get_rich_menu_alias_list(_request_timeout=self._timeout))
        return [(alias.rich_menu_alias_id, alias.rich_menu_id) for alias in found.aliases]

    def create_rich_menu_alias(self, alias_id: str, menu_id: str) -> None:
        request = CreateRichMenuAliasRequest(richMenuAliasId=alias_id, richMenuId=menu_id)
        self._call(lambda: self._api.create_rich_menu_alias(request, _request_timeout=self._timeout))

    def update_rich_menu_alias(self, alias_id: str, menu_id: str) -> None:
        request = UpdateRichMenuAliasRequest(richMenuId=menu_id)
        self._call(lambda: self._api.update_rich_menu_alias(alias_id, request, _request_timeout=self._timeout))

    def delete_rich_menu_alias(self, alias_id: str) -> None:
        self._call(lambda: self._api.delete_rich_menu_alias(alias_id, _request_timeout=self._timeout))

    def unlink_rich_menus(self, user_ids: Sequence[str]) -> None:
        """Let up to 500 users see the default menu again (drops the menus a tab tap linked to them)."""
        if not 1 <= len(user_ids) <= MULTICAST_MAX_RECIPIENTS:
            raise ValueError(f"bulk unlink takes 1 to {MULTICAST_MAX_RECIPIENTS} users")
        request = RichMenuBulkUnlinkRequest(userIds=list(user_ids))
        self._call(lambda: self._api.unlink_rich_menu_id_from_users(request, _request_timeout=self._timeout))

    # -- answers (bot/line/answers.py decides what happens next) ------------------------------

    def try_reply(self, reply_token: str, messages: Sequence[Message | dict[str, Any]]) -> ReplyOutcome:
        """One reply attempt, no fallback. The messages were validated when they were built and
        are usually already in their JSON form (as stored with the event): they are sent as they
        are, without the SDK's argument validation and model serialization (a third of a reply's
        CPU)."""
        body = {"replyToken": reply_token,
                "messages": [m if isinstance(m, dict) else json_form(m) for m in messages]}
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        try:
            self._client.call_api("/v2/bot/message/reply", "POST", {}, [], headers, body=body,
                                  response_types_map={}, auth_settings=["Bearer"],
                                  _request_timeout=self._timeout)
            return ReplyOutcome.ACCEPTED
        except ApiException as exc:
            message = _error_message(exc)
            if exc.status == 400 and "reply token" in message.lower():
                return ReplyOutcome.TOKEN_REFUSED
            if exc.status in (0, 429) or exc.status >= 500:
                return ReplyOutcome.UNAVAILABLE
            log.warning("reply rejected by LINE: %s", exc.status)
            return ReplyOutcome.REJECTED
        except urllib3.exceptions.HTTPError:
            return ReplyOutcome.UNAVAILABLE


class ReplyOutcome(StrEnum):
    ACCEPTED = "accepted"
    TOKEN_REFUSED = "token_refused"  # 400 Invalid reply token: used (maybe by us) or expired
    UNAVAILABLE = "unavailable"  # 5xx, 429 or no answer: it may or may not have reached LINE
    REJECTED = "rejected"  # another 4xx: sending the same again cannot help


def _classify(exc: ApiException) -> LineApiError:
    message = _error_message(exc)
    status = exc.status or 0
    if status == 429:
        if "monthly limit" in message.lower():
            return MonthlyQuotaExceeded(status, message)
        return RateLimited(status, message)
    if status >= 500 or status == 0:
        return LineUnavailable(status, message)
    return SendRejected(status, message)


def _error_message(exc: ApiException) -> str:
    try:
        return str(json.loads(exc.body or "{}").get("message", ""))
    except (ValueError, AttributeError):
        return str(exc.reason or "")


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    return headers.get(name) or headers.get(name.title())
