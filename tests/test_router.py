"""The router's order: event type, postback action, conversation state, text intent, fallback."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from types import SimpleNamespace

from linebot.v3.webhooks import Event

from bot.config import PROJECT_ROOT
from bot.line.router import Context, Flow, Postback, Router
from bot.routes import build_router
from messages.actions import Action
from tests.support.webhook import event, follow_event, new_user_id, postback_event, text_event


class Step(StrEnum):
    ONE = "one"


def named(name):
    return lambda ctx: [name]


def make_router() -> Router:
    router = Router()
    router.on_event(type(Event.from_dict(follow_event(new_user_id()))), named("follow"))
    router.on_postback("pick", named("pick"))
    router.on_flow(Flow(name="flow", steps={Step.ONE: named("flow-one")}))
    router.on_intent(["設定"], named("settings"))
    router.on_cancel(named("cancel"))
    router.fallbacks(text=named("fallback-text"), message=named("fallback-message"), postback=named("fallback-pb"))
    return router


def ctx_for(raw: dict, conversation=None) -> Context:
    return Context(
        event=Event.from_dict(raw), session=None, settings=None, now=datetime.now(UTC),  # type: ignore[arg-type]
        user_id=raw["source"]["userId"], conversation=conversation,
    )


def dispatch(raw: dict, conversation=None) -> list:
    return make_router().dispatch(ctx_for(raw, conversation))


def test_event_type_and_postback_action():
    user = new_user_id()
    assert dispatch(follow_event(user)) == ["follow"]
    assert dispatch(postback_event(user, "action=pick&x=1")) == ["pick"]
    assert dispatch(postback_event(user, "action=gone")) == ["fallback-pb"]
    assert dispatch(postback_event(user, "action=cancel")) == ["cancel"]


def test_conversation_state_comes_before_text_intents():
    user = new_user_id()
    state = SimpleNamespace(flow="flow", step="one")
    assert dispatch(text_event(user, "設定"), state) == ["flow-one"]
    assert dispatch(text_event(user, "設定")) == ["settings"]


def test_cancel_word_always_works():
    user = new_user_id()
    assert dispatch(text_event(user, "やめる"), SimpleNamespace(flow="flow", step="one")) == ["cancel"]
    assert dispatch(text_event(user, " やめる ")) == ["cancel"]


def test_intents_match_after_normalisation_and_others_fall_back():
    user = new_user_id()
    assert dispatch(text_event(user, "　設定　")) == ["settings"]  # full-width spaces
    assert dispatch(text_event(user, "ごみの出し方")) == ["fallback-text"]
    sticker = {"id": "1", "type": "sticker", "packageId": "1", "stickerId": "1", "stickerResourceType": "STATIC",
               "quoteToken": "q"}
    assert dispatch(event("message", user, message=sticker)) == ["fallback-message"]


def test_unknown_event_types_get_no_answer():
    user = new_user_id()
    assert dispatch(event("unfollow", user)) == []


def test_postback_data_is_parsed():
    parsed = Postback.parse("action=settings.area&area=mito", {"date": "2026-12-01"})
    assert parsed == Postback(action="settings.area", args={"area": "mito"}, params={"date": "2026-12-01"})


def test_every_registration_is_in_build_router():
    routes = build_router().describe()
    assert "FollowEvent" in routes["events"] and "UnfollowEvent" in routes["events"]
    assert {"settings", "settings.area", "settings.interest", "settings.done"} <= set(routes["postbacks"])
    assert "settings" in routes["flows"]


# Rich-menu actions of the contracts that other branches route (procedures: help, procedures,
# procedures.mine; shelters: shelters, shelters.near, damage.report, disaster.latest). Empty this
# set when they are merged: the second assertion below fails until it is.
ROUTED_ON_OTHER_BRANCHES: set[str] = set()


def test_every_postback_action_is_routed_and_the_rich_menus_use_only_those():
    routed = set(build_router().describe()["postbacks"])
    assert routed == {action.value for action in Action} - {Action.CANCEL}  # 「やめる」 goes to on_cancel
    tapped = set()
    for path in (PROJECT_ROOT / "content" / "richmenu").glob("*.json"):
        menu = json.loads(path.read_text(encoding="utf-8"))
        tapped |= {tile["postback"] for tile in menu["tiles"] if "postback" in tile}
    assert tapped and tapped - routed <= ROUTED_ON_OTHER_BRANCHES
    assert not ROUTED_ON_OTHER_BRANCHES & routed, "merged: remove them from ROUTED_ON_OTHER_BRANCHES"


def test_a_flow_answers_its_own_media_and_other_media_go_to_the_message_handlers():
    from linebot.v3.webhooks import ImageMessageContent, StickerMessageContent

    router = make_router()
    router.on_flow(Flow(name="report", steps={Step.ONE: named("report-text")},
                        media={ImageMessageContent: named("report-photo")}))
    router.on_message(ImageMessageContent, named("photo"))
    router.on_message(StickerMessageContent, named("sticker"))
    user = new_user_id()
    image = event("message", user, message={"type": "image", "id": "1", "quoteToken": "q",
                                             "contentProvider": {"type": "line"}})
    sticker = event("message", user, message={"type": "sticker", "id": "2", "quoteToken": "q", "packageId": "1",
                                               "stickerId": "1", "stickerResourceType": "STATIC"})
    waiting = SimpleNamespace(flow="report", step="one")
    assert router.dispatch(ctx_for(image, waiting)) == ["report-photo"]  # the flow's own answer
    assert router.dispatch(ctx_for(sticker, waiting)) == ["sticker"]  # the flow has none for stickers
    assert router.dispatch(ctx_for(image)) == ["photo"]  # no flow waiting
    other_step = SimpleNamespace(flow="report", step="gone")  # a step the flow no longer has
    assert router.dispatch(ctx_for(image, other_step)) == ["photo"]
