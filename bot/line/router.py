"""Our event router: picks the handler for an event by event type, postback action,
conversation state, text intent, then a fallback. `bot/routes.py` holds every registration."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from linebot.v3.messaging import Message
from linebot.v3.webhooks import Event, MessageEvent, PostbackEvent, TextMessageContent
from sqlalchemy.orm import Session

from bot.line import interruptions
from messages import common
from messages.actions import Action
from messages.vocabulary import CANCEL_WORDS, GIVE_UP_WORDS, RESUME_WORDS

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.models import ConversationState, Friend

log = logging.getLogger(__name__)

Handler = Callable[["Context"], Sequence[Message]]


@dataclass(frozen=True)
class Postback:
    """A postback's `data` (`action=...&key=value`) and its date/time picker `params`."""

    action: str
    args: dict[str, str]
    params: dict[str, Any]

    @classmethod
    def parse(cls, data: str, params: dict[str, Any] | None) -> Postback:
        pairs = dict(parse_qsl(data or "", keep_blank_values=True))
        return cls(action=pairs.pop("action", ""), args=pairs, params=dict(params or {}))


_UNLOADED: Any = object()


class Context:
    """Everything a handler may look at; handlers return messages and never call LINE.

    `friend` and `conversation` are read from the database on first use, so only the handlers
    that look at them pay for the queries."""

    def __init__(
        self, event: Event, session: Session, settings: Settings, now: datetime, user_id: str | None,
        friend: Friend | None = _UNLOADED, conversation: ConversationState | None = _UNLOADED,
        text: str | None = None, postback: Postback | None = None,
        lookup_display_name: Callable[[str], str | None] = lambda _user_id: None,
    ) -> None:
        self.event, self.session, self.settings, self.now, self.user_id = event, session, settings, now, user_id
        self._friend, self._conversation = friend, conversation
        self.text, self.postback, self.lookup_display_name = text, postback, lookup_display_name

    @property
    def friend(self) -> Friend | None:
        if self._friend is _UNLOADED:
            from bot.friends import get_friend

            self._friend = get_friend(self.session, self.user_id) if self.user_id else None
        return self._friend

    @friend.setter
    def friend(self, value: Friend | None) -> None:
        self._friend = value

    @property
    def conversation(self) -> ConversationState | None:
        if self._conversation is _UNLOADED:
            from bot.line.conversation import active_state

            self._conversation = active_state(self.session, self.user_id, self.now) if self.user_id else None
        return self._conversation

    @conversation.setter
    def conversation(self, value: ConversationState | None) -> None:
        self._conversation = value


def normalise_text(text: str) -> str:
    """NFKC, trimmed, inner whitespace collapsed: what intents and flows compare against."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Flow:
    """A multi-step chat declared as steps (a StrEnum) and one handler per step for free text;
    `cancel`, when given, answers 「やめる」 inside this flow instead of the router's cancel;
    `resume` asks the current step's question again when 「続きから」 brings the flow back;
    `media` answers messages other than text (a photo, a location, a sticker) while the flow
    waits at any of its steps, instead of the router's `on_message` handlers."""

    name: str
    steps: dict[StrEnum, Handler]
    cancel: Handler | None = None
    resume: Handler | None = None
    media: dict[type, Handler] = field(default_factory=dict)


class Router:
    def __init__(self) -> None:
        self._by_event: dict[type, Handler] = {}
        self._by_message: dict[type, Handler] = {}
        self._by_postback: dict[str, Handler] = {}
        self._flows: dict[str, Flow] = {}
        self._intents: dict[str, Handler] = {}
        self._commands: set[str] = set()
        self._cancel: Handler | None = None
        self._fallback_text: Handler | None = None
        self._fallback_message: Handler | None = None
        self._fallback_postback: Handler | None = None

    # -- registration ------------------------------------------------------------------------

    def on_event(self, event_type: type, handler: Handler) -> None:
        self._by_event[event_type] = handler

    def on_message(self, content_type: type, handler: Handler) -> None:
        self._by_message[content_type] = handler

    def on_postback(self, action: str, handler: Handler) -> None:
        self._by_postback[action] = handler

    def on_flow(self, flow: Flow) -> None:
        self._flows[flow.name] = flow

    def on_intent(self, phrases: Sequence[str], handler: Handler) -> None:
        for phrase in phrases:
            self._intents[normalise_text(phrase)] = handler

    def on_command(self, phrases: Sequence[str], handler: Handler) -> None:
        """An intent that answers even while a flow waits (the flow is put aside or ended)."""
        self.on_intent(phrases, handler)
        self._commands.update(normalise_text(phrase) for phrase in phrases)

    def on_cancel(self, handler: Handler) -> None:
        self._cancel = handler

    def fallbacks(self, *, text: Handler, message: Handler, postback: Handler) -> None:
        self._fallback_text, self._fallback_message, self._fallback_postback = text, message, postback

    # -- dispatch ----------------------------------------------------------------------------

    def resolve(self, ctx: Context) -> Handler | None:
        """The handler for this event, or None when the event needs no answer."""
        event = ctx.event
        if isinstance(event, PostbackEvent):
            ctx.postback = Postback.parse(event.postback.data, event.postback.params)
            if ctx.postback.action == Action.CANCEL and self._cancel:
                return self._cancel_for(ctx)
            if ctx.postback.action == Action.RESUME:
                return self.resume
            return self._by_postback.get(ctx.postback.action, self._fallback_postback)
        if isinstance(event, MessageEvent):
            return self._resolve_message(ctx, event)
        handler = self._by_event.get(type(event))
        if handler is None:
            log.info("ignoring %s event", getattr(event, "type", type(event).__name__))
        return handler

    def _resolve_message(self, ctx: Context, event: MessageEvent) -> Handler | None:
        content = event.message
        if not isinstance(content, TextMessageContent):
            state = ctx.conversation
            flow = self._flows.get(state.flow) if state else None
            if flow is not None and state is not None and state.step in flow.steps and type(content) in flow.media:
                return flow.media[type(content)]
            return self._by_message.get(type(content), self._fallback_message)
        ctx.text = normalise_text(content.text)
        state = ctx.conversation
        if self._cancel and (ctx.text in CANCEL_WORDS or (state is not None and ctx.text in GIVE_UP_WORDS)):
            return self._cancel_for(ctx)
        if ctx.text in RESUME_WORDS:
            return self.resume
        flow = self._flows.get(state.flow) if state else None
        if flow is not None and state is not None:
            step_handler = flow.steps.get(state.step)  # type: ignore[call-overload]
            if step_handler is not None and ctx.text in self._commands:
                return self._interrupting(flow, self._intents[ctx.text])
            if step_handler is not None:
                return step_handler
        return self._intents.get(ctx.text, self._fallback_text)

    def _cancel_for(self, ctx: Context) -> Handler | None:
        """The current (or put-aside) flow's own cancel handler, else the router's."""
        state = ctx.conversation
        name = interruptions.paused_flow(state) or (state.flow if state else None)
        flow = self._flows.get(name) if name else None
        return flow.cancel if flow is not None and flow.cancel is not None else self._cancel

    def _interrupting(self, flow: Flow, command: Handler) -> Handler:
        """`command` answered while `flow` waits: the flow is put aside first; if the command
        starts a flow of its own, the one put aside has ended. The resident is told which."""

        def answer(ctx: Context) -> Sequence[Message]:
            assert ctx.conversation is not None
            interruptions.put_aside(ctx.conversation, ctx.now, ctx.settings.conversation_timeout_min)
            messages = list(command(ctx))
            state = ctx.session.get(type(ctx.conversation), ctx.conversation.line_user_id)
            if state is None or interruptions.paused_flow(state) is not None:
                return common.flow_put_aside(flow.name, messages) if state is not None else messages
            return messages if state.flow == flow.name else common.flow_ended(flow.name, messages)

        return answer

    def resume(self, ctx: Context) -> Sequence[Message]:
        """「続きから」: the flow put aside, back at its step, asking its question again."""
        assert ctx.user_id
        state = interruptions.take_back(ctx.session, ctx.user_id, ctx.now, ctx.settings.conversation_timeout_min)
        flow = self._flows.get(state.flow) if state is not None else None
        if state is None or flow is None or flow.resume is None:
            return common.nothing_to_resume()
        ctx.conversation = state
        return flow.resume(ctx)

    def dispatch(self, ctx: Context) -> list[Message]:
        handler = self.resolve(ctx)
        return list(handler(ctx)) if handler else []

    def describe(self) -> dict[str, list[str]]:
        """Every registration by kind, for docs and the routing test."""
        return {
            "events": sorted(t.__name__ for t in self._by_event),
            "messages": sorted(t.__name__ for t in self._by_message),
            "postbacks": sorted(self._by_postback),
            "flows": sorted(self._flows),
            "intents": sorted(self._intents),
            "commands": sorted(self._commands),
        }
