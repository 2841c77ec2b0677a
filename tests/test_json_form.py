"""`messages.json_form` gives exactly the SDK's `to_dict()` (same keys, order and values) for
what every builder makes: the bot stores and sends that form instead of calling `to_dict()`."""

from __future__ import annotations

import importlib
import inspect
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from linebot.v3.messaging import (
    FlexBox, FlexBubble, FlexMessage, FlexText, PostbackAction, QuickReply, QuickReplyItem, TextMessage,
)

from bot.classes import LEVELS
from bot.friends import AREAS, INTERESTS
from messages import classes, faq, friends, notices, shelters
from messages.json_form import json_form

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
BUILDER_MODULES = ("catalogue", "classes", "common", "damage", "disaster", "fallback", "faq", "friends", "media",
                   "notices", "procedures", "shelters")


def same_as_to_dict(message) -> None:
    assert json.dumps(json_form(message), ensure_ascii=False) == json.dumps(message.to_dict(), ensure_ascii=False)


def builders_without_arguments():
    for name in BUILDER_MODULES:
        module = importlib.import_module(f"messages.{name}")
        for function_name, function in vars(module).items():
            if (inspect.isfunction(function) and function.__module__ == module.__name__
                    and not function_name.startswith("_")
                    and all(p.default is not p.empty for p in inspect.signature(function).parameters.values())):
                yield pytest.param(function, id=f"{name}.{function_name}")


@pytest.mark.parametrize("builder", list(builders_without_arguments()))
def test_every_builder_without_arguments(builder):
    built = builder()
    for message in built if isinstance(built, list) else [built]:
        if hasattr(message, "to_dict"):
            same_as_to_dict(message)


def class_card(i: int = 1, **changes) -> classes.ClassCard:
    values = dict(id=i, title=f"LINEの使い方教室{i}", level="line", level_label=LEVELS["line"], venue="美東総合支所",
                  starts_at=START + timedelta(days=i), ends_at=START + timedelta(days=i, minutes=90), capacity=20,
                  seats_left=5, waitlisted=0, waitlist_open=True, signup="open", description="スマホの基本を練習します。")
    return classes.ClassCard(**(values | changes))


CONTACT = faq.ContactCard(name="美祢市役所（代表）", phone="0837-00-0000", hours="平日 8:30〜17:15", verified=False)
ANSWER = faq.AnswerCard(entry_id="faq-001", question="住民票の写しはどこで取得できますか？",
                        answer="市民課の窓口で取得できます。\n本人確認書類をお持ちください。", department="市民課",
                        url="https://www.city.mine.lg.jp/", category="届出・証明", unverified_sample=True)


@pytest.mark.parametrize("built", [
    pytest.param(lambda: faq.answer(ANSWER, 12345), id="faq.answer"),
    pytest.param(lambda: faq.suggestions([faq.Choice("a", "ごみの出し方は？"), faq.Choice("b", "粗大ごみは？")], 7),
                 id="faq.suggestions"),
    pytest.param(lambda: faq.not_found(CONTACT, 7), id="faq.not_found"),
    pytest.param(lambda: faq.not_found(CONTACT, None, after_suggestions=True), id="faq.not_found_after"),
    pytest.param(lambda: faq.feedback_thanks(False, "市民課", CONTACT), id="faq.feedback_thanks"),
    pytest.param(lambda: friends.welcome(AREAS, returning=False), id="friends.welcome"),
    pytest.param(lambda: friends.area_saved("美東", INTERESTS, ["disaster"]), id="friends.area_saved"),
    pytest.param(lambda: classes.class_list([class_card(i) for i in range(1, 15)], JST, page=1, more=3),
                 id="classes.class_list"),
    pytest.param(lambda: classes.confirm(class_card(), "山田 花子", "090-0000-0000", False, JST), id="classes.confirm"),
    pytest.param(lambda: notices.notice_messages(notices.NoticeContent(
        id=7, kind="evacuation", kind_label="避難情報", title="大雨による避難指示", body="本文" * 400,
        published_at=START, link_url="https://www.city.mine.lg.jp/", image_url="https://x.jp/a.png"), JST),
        id="notices.notice_messages"),
    pytest.param(lambda: shelters.open_shelters([shelters.ShelterCard(
        name="見本：美祢市民会館", address="山口県美祢市大嶺町", status="open", status_label="開設", latitude=34.2,
        longitude=131.2, capacity=300, distance_m=1234.0, since="12月2日（水）15:30", sample=True)] * 3, "美祢"),
        id="shelters.open_shelters"),
])
def test_builders_with_content(built):
    for message in built():
        same_as_to_dict(message)


def test_none_fields_are_left_out_and_aliases_used():
    message = TextMessage(text="こんにちは", quickReply=QuickReply(items=[
        QuickReplyItem(action=PostbackAction(label="メニュー", data="action=menu", displayText="メニュー"))]))
    form = json_form(message)
    assert form == message.to_dict()
    assert "sender" not in form and form["quickReply"]["items"][0]["action"]["displayText"] == "メニュー"


def test_a_nested_flex_message():
    bubble = FlexBubble(body=FlexBox(layout="vertical", contents=[
        FlexBox(layout="horizontal", contents=[FlexText(text="一", wrap=True), FlexText(text="二", flex=0)])]))
    same_as_to_dict(FlexMessage(altText="お知らせ", contents=bubble))
