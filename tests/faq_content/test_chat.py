"""The FAQ in LINE, end to end: the real SDK, the emulator over HTTP, the bot on a real port, a
real database. A question gets an answer with 「解決した」/「解決しない」, an ambiguous one
「もしかして」 choices, an unknown one an honest "no answer" and 「職員に伝える」."""

from __future__ import annotations

import logging
import time

from sqlalchemy import select

from bot import create_app
from bot.db import Database
from bot.faq.questions import open_groups
from bot.models import FaqAsk, FaqFeedback
from tests.conftest import ServedApp

UNKNOWN = "ピザの注文をしたい"


def resident(sim) -> str:
    """A friend of the account who skipped the area question."""
    user = sim.new_user()
    sim.follow(user)
    sim.tap(user, "あとで")
    return user


def last(sim, user):
    return sim.inbox(user)[-1]["message"]


def fresh(db_session):
    db_session.rollback()
    return db_session


def test_a_clear_question_gets_the_answer_and_unresolved_feedback_reaches_staff(seeded, bot_server, sim, db_session):
    user = resident(sim)
    assert sim.text(user, "粗大ごみの出し方") == 200
    message = last(sim, user)
    assert message["type"] == "flex" and message["altText"].startswith("粗大ごみ（大型の家具など）")
    bubble = str(message["contents"])
    assert "担当：" in bubble and "見本" in bubble and "解決しましたか" in bubble
    assert [a["label"] for a in sim.last_quick_replies(user)] == ["解決した", "解決しない"]

    assert sim.tap(user, "解決しない") == 200
    assert "お役に立てず" in sim.texts(user)[-1] and "確認中の情報" in sim.texts(user)[-1]
    session = fresh(db_session)
    feedback = session.scalars(select(FaqFeedback)).one()
    ask = session.get(FaqAsk, feedback.ask_id)
    assert (feedback.entry_id, feedback.resolved, ask.question) == ("FAQ-0067", False, "粗大ごみの出し方")
    assert feedback.at is not None and ask.needs_review
    [group] = open_groups(session)
    assert (group.question, group.count, group.unresolved, group.unhelpful_entries) == ("粗大ごみの出し方", 1, 1, ["FAQ-0067"])

    assert sim.text(user, "粗大ごみの出し方") == 200
    assert sim.tap(user, "解決した") == 200
    assert "お役に立ててよかった" in sim.texts(user)[-1]
    session = fresh(db_session)
    assert [f.resolved for f in session.scalars(select(FaqFeedback).order_by(FaqFeedback.id))] == [False, True]
    assert open_groups(session)[0].count == 1  # the helpful answer is not on staff's list


def test_a_second_tap_changes_the_vote_and_leaves_the_list(seeded, bot_server, sim, db_session):
    user = resident(sim)
    sim.text(user, "図書館の本を借りたい")
    actions = sim.last_quick_replies(user)
    sim.postback(user, actions[1]["data"])  # 解決しない
    assert len(open_groups(fresh(db_session))) == 1
    sim.postback(user, actions[0]["data"])  # changed their mind: 解決した
    session = fresh(db_session)
    assert [f.resolved for f in session.scalars(select(FaqFeedback))] == [True]
    assert open_groups(session) == []


def test_an_ambiguous_question_offers_choices_and_a_tap_shows_that_answer(seeded, bot_server, sim, db_session):
    user = resident(sim)
    sim.text(user, "マイナンバーカード")
    message = last(sim, user)
    assert message["text"].startswith("もしかして")
    labels = [a["label"] for a in sim.last_quick_replies(user)]
    assert 3 <= len(labels) <= 4 and labels[-1] == "この中にない"
    assert all(len(label) <= 20 for label in labels) and labels[0].startswith("①")

    assert sim.tap(user, "②") == 200
    answer = last(sim, user)
    assert answer["type"] == "flex" and "マイナンバーカード" in answer["altText"]
    assert [a["label"] for a in sim.last_quick_replies(user)] == ["解決した", "解決しない"]
    ask = fresh(db_session).scalars(select(FaqAsk)).one()
    assert ask.decision == "suggest" and len(ask.suggested_ids) == 3 and not ask.needs_review


def test_none_of_the_suggestions_puts_the_question_on_staffs_list(seeded, bot_server, sim, db_session):
    user = resident(sim)
    sim.text(user, "住民票")
    sim.tap(user, "この中にない")
    assert "ほかにお答えできる情報が見つかりませんでした" in sim.texts(user)[-1]
    [group] = open_groups(fresh(db_session))
    assert (group.question, group.unanswered) == ("住民票", 1)


def test_an_unknown_question_is_answered_honestly_logged_and_can_be_told_to_staff(
    seeded, bot_server, sim, db_session, caplog
):
    caplog.set_level(logging.DEBUG)
    user = resident(sim)
    assert sim.text(user, UNKNOWN) == 200
    reply = sim.texts(user)[-1]
    assert "見つかりませんでした" in reply and "0837-52-1110" in reply and "受付時間" in reply
    assert "確認中の情報" in reply  # the contact is sample content until the city checks it
    assert [a["label"] for a in sim.last_quick_replies(user)][0] == "職員に伝える"
    ask = fresh(db_session).scalars(select(FaqAsk)).one()
    assert (ask.question, ask.decision, ask.needs_review, ask.reported) == (UNKNOWN, "none", True, False)

    assert sim.tap(user, "職員に伝える") == 200
    assert "市の職員に伝えました" in sim.texts(user)[-1]
    session = fresh(db_session)
    assert session.get(FaqAsk, ask.id).reported
    sim.text(user, "ピザの注文をしたい！")  # the same question typed again
    [group] = open_groups(fresh(db_session))
    assert (group.count, group.unanswered, group.reported) == (2, 2, 1)
    assert UNKNOWN not in caplog.text  # residents' words are stored for staff, never logged


def test_thanks_and_greetings_are_answered_kindly_and_not_listed(seeded, bot_server, sim, db_session):
    user = resident(sim)
    sim.text(user, "ありがとうございました！")
    assert "どういたしまして" in sim.texts(user)[-1]
    sim.text(user, "こんにちは")
    assert "ご質問を、ふだんの言葉で" in sim.texts(user)[-1]
    assert fresh(db_session).scalars(select(FaqAsk)).all() == []


def test_an_old_button_for_a_question_that_is_gone_gets_a_polite_answer(seeded, bot_server, sim):
    user = resident(sim)
    sim.postback(user, "action=faq.feedback&ask=999999&entry=FAQ-0001&ok=0")
    assert "もう一度ご質問を送ってください" in sim.texts(user)[-1]
    sim.postback(user, "action=faq.show&ask=abc&entry=FAQ-0001")
    assert "もう一度ご質問を送ってください" in sim.texts(user)[-1]


def test_with_no_faq_content_the_bot_still_answers_honestly(bot_server, sim):
    user = resident(sim)
    assert sim.text(user, "住民票はどこでとれますか") == 200
    assert "見つかりませんでした" in sim.texts(user)[-1]


def edit_question(database_url: str, entry_id: str, phrasing: str) -> None:
    """A staff edit in another worker: one more phrasing, through the same domain code as the console."""
    from bot.faq import entries as faq_entries
    from bot.models import FaqEntryRecord

    database = Database(database_url)
    try:
        with database.transaction() as session:
            faq_entries.add_phrasing(session, session.get(FaqEntryRecord, entry_id), phrasing)
    finally:
        database.dispose()


def test_a_phrasing_added_in_another_worker_is_found_within_a_second(seeded, app, settings, emulator, sim):
    """Two app instances on one database stand for two gunicorn workers."""
    question = "ガラス瓶を割ってしまった時の捨て方"
    worker_b = create_app({"settings": settings})
    served_a, served_b = ServedApp(app).start(), ServedApp(worker_b).start()
    try:
        emulator.webhook_url = f"{served_a.url}/callback"
        user = resident(sim)
        for served in (served_a, served_b):
            emulator.webhook_url = f"{served.url}/callback"
            sim.text(user, question)
            assert "見つかりませんでした" in sim.texts(user)[-1], served.url  # no entry says this yet

        edit_question(settings.database_url, "FAQ-0065", question)
        time.sleep(1.1)
        for served in (served_a, served_b):
            emulator.webhook_url = f"{served.url}/callback"
            sim.text(user, question)
            message = last(sim, user)
            assert message["type"] == "flex" and message["altText"].startswith("ごみの分け方"), served.url
    finally:
        served_a.stop()
        served_b.stop()
        worker_b.extensions["gateway"].close()
        worker_b.extensions["db"].dispose()


def test_an_answer_edited_in_another_worker_is_sent_as_edited(seeded, bot_server, settings, sim):
    """The answer bubble is built once per entry content: an edit gives the new text, not the kept one."""
    from bot.faq import entries as faq_entries
    from bot.models import FaqEntryRecord

    user = resident(sim)
    for _ in range(2):  # the second answer comes from the kept bubble
        sim.text(user, "粗大ごみの出し方")
        assert "お電話でお申し込みください" not in str(last(sim, user)["contents"])
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            record = session.get(FaqEntryRecord, "FAQ-0067")
            draft = faq_entries.EntryDraft.of(record)
            draft.answer = "粗大ごみは前日までにお電話でお申し込みください。"
            assert faq_entries.update_entry(session, record, draft)
    finally:
        database.dispose()
    time.sleep(1.1)  # the index checks the content version at most once a second
    sim.text(user, "粗大ごみの出し方")
    message = last(sim, user)
    assert message["altText"].startswith("粗大ごみ") and "お電話でお申し込みください" in str(message["contents"])
