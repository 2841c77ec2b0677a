"""Residents' first steps, end to end: the real SDK, the emulator over HTTP, a real database."""

from __future__ import annotations

from sqlalchemy import select

from bot.models import ConversationState, Friend


def friend(db_session, user_id) -> Friend:
    db_session.rollback()  # a fresh snapshot
    return db_session.scalar(select(Friend).where(Friend.line_user_id == user_id))


def test_follow_greets_and_registers_the_area_and_interests(bot_server, sim, db_session):
    user = sim.new_user("美祢 花子")
    assert sim.follow(user) == 200
    texts = sim.texts(user)
    assert "友だち追加していただき" in texts[0]
    assert "地域を選んでください" in texts[1]
    assert [a["label"] for a in sim.last_quick_replies(user)] == ["美祢地域", "美東地域", "秋芳地域", "あとで"]
    assert sim.inbox(user)[0]["via"] == "reply"
    assert friend(db_session, user).display_name == "美祢 花子"  # from the profile API

    assert sim.tap(user, "美東") == 200
    assert friend(db_session, user).area == "mito"
    assert "「美東」に設定しました" in sim.texts(user)[-2]
    assert sim.tap(user, "防災・気象") == 200
    assert "✓防災・気象" in [a["label"] for a in sim.last_quick_replies(user)]
    assert sim.tap(user, "イベント") == 200
    assert sim.tap(user, "イベント") == 200  # tapped again: off
    assert sim.tap(user, "完了") == 200
    summary = sim.texts(user)[-1]
    assert "設定が完了しました" in summary and "美東" in summary and "防災・気象" in summary
    assert "イベント" not in summary
    stored = friend(db_session, user)
    assert stored.interests == ["disaster"]
    assert db_session.get(ConversationState, user) is None


def test_the_area_can_be_typed_and_changed_later(bot_server, sim, db_session):
    user = sim.new_user()
    sim.follow(user)
    sim.text(user, "秋芳")
    assert friend(db_session, user).area == "shuho"
    sim.tap(user, "完了")
    sim.text(user, "設定")
    assert "地域を選んでください" in sim.texts(user)[-1]
    sim.text(user, "みとう")
    assert friend(db_session, user).area == "mito"


def test_unrecognised_area_text_asks_again_with_buttons(bot_server, sim, db_session):
    user = sim.new_user()
    sim.follow(user)
    sim.text(user, "東京")
    assert "下のボタンから地域を選んでください" in sim.texts(user)[-1]
    assert friend(db_session, user).area is None


def test_yameru_cancels_at_any_step(bot_server, sim, db_session):
    user = sim.new_user()
    sim.follow(user)
    sim.text(user, "やめる")
    assert "やめました" in sim.texts(user)[-1]
    assert db_session.get(ConversationState, user) is None
    sim.text(user, "設定")
    sim.tap(user, "美祢")
    sim.tap(user, "やめる")
    assert "やめました" in sim.texts(user)[-1] and "美祢" in sim.texts(user)[-1]
    db_session.rollback()
    assert db_session.get(ConversationState, user) is None
    sim.text(user, "やめる")
    assert "やめる手続きはありません" in sim.texts(user)[-1]


def test_later_leaves_the_area_unset(bot_server, sim, db_session):
    user = sim.new_user()
    sim.follow(user)
    sim.tap(user, "あとで")
    assert "あとからでも設定できます" in sim.texts(user)[-1]
    assert friend(db_session, user).area is None


def test_unfollow_marks_blocked_and_refollow_is_recognised(bot_server, sim, db_session):
    user = sim.new_user()
    sim.follow(user)
    sim.tap(user, "美祢")
    assert sim.unfollow(user) == 200
    assert friend(db_session, user).status == "blocked"
    sim.follow(user)
    texts = sim.texts(user)
    assert "また友だち追加していただき" in texts[-2]
    stored = friend(db_session, user)
    assert stored.status == "following" and stored.follow_count == 2 and stored.area == "mine"


def test_free_text_gets_a_polite_answer_and_a_way_forward(bot_server, sim):
    user = sim.new_user()
    sim.follow(user)
    sim.tap(user, "あとで")
    assert sim.text(user, "今日の天気は？") == 200
    assert sim.texts(user)[-1]  # an answer, never silence
    assert sim.last_quick_replies(user)


def test_stickers_and_old_buttons_get_an_answer(bot_server, sim):
    user = sim.new_user()
    sim.follow(user)
    sim.postback(user, "action=no.such.button")
    assert "使えなくなりました" in sim.texts(user)[-1]
    sim.request("POST", f"/_sim/users/{user}/location", {"title": "自宅", "address": "美祢市", "latitude": 34.16, "longitude": 131.2})
    assert "避難所の情報はまだ登録されていません" in sim.texts(user)[-1]  # a location looks for shelters
    sim.request("POST", f"/_sim/users/{user}/file?file_name=a.pdf", {})
    assert "文字でお送りいただくか" in sim.texts(user)[-1]


def test_a_command_at_the_area_or_interests_question_answers_it_and_the_question_resumes(
        bot_server, sim, db_session, database):
    from bot.classes.schedule import create_class
    from bot.db import utcnow
    from tests.classes.conftest import class_draft

    with database.transaction() as session:
        create_class(session, class_draft("LINEの使い方教室"), "test", utcnow())
    user = sim.new_user()
    sim.follow(user)
    assert sim.text(user, "スマホ教室") == 200  # at the area question
    texts = sim.texts(user)
    assert "地域・受信設定は、いったん中断しました" in texts[-3] and "スマホ教室のご案内" in texts[-2]
    assert "LINEの使い方教室" in texts[-1]  # the class list (its altText), not the area question again
    assert sim.last_quick_replies(user)[0]["label"] == "続きから"
    sim.tap(user, "続きから")
    assert "地域を選んでください" in sim.texts(user)[-1]
    sim.tap(user, "美東")
    assert [a["label"] for a in sim.last_quick_replies(user)][:2] == ["完了", "やめる"]

    sim.text(user, "スマホ教室")  # at the interests question
    assert "いったん中断しました" in sim.texts(user)[-3] and "LINEの使い方教室" in sim.texts(user)[-1]
    sim.tap(user, "続きから")
    assert "完了" in [a["label"] for a in sim.last_quick_replies(user)]
    sim.tap(user, "完了")
    assert "設定が完了しました" in sim.texts(user)[-1]
    assert friend(db_session, user).area == "mito"


def test_usage_and_fallbacks_offer_the_main_actions(bot_server, sim):
    user = sim.new_user()
    sim.follow(user)
    sim.tap(user, "あとで")
    main = ["質問する", "お知らせ", "手続き", "スマホ教室", "設定"]
    sim.text(user, "使い方")
    assert "できること" in sim.texts(user)[-1]
    assert [a["label"] for a in sim.last_quick_replies(user)] == main
    sim.postback(user, "action=no.such.button")
    assert [a["label"] for a in sim.last_quick_replies(user)] == main
    sim.text(user, "続きから")
    assert "続きの手続きはありません" in sim.texts(user)[-1]
