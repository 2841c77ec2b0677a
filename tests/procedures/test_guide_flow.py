"""The guide end to end: the real SDK, the emulator over HTTP, the bot on a real port, a real
database: 「引っ越し」 → the questions → the checklist → saved → 「わたしの手続き」 → /p/<code>."""

from __future__ import annotations

from urllib.request import urlopen
from urllib.error import HTTPError

from sqlalchemy import select

from bot.models import SavedChecklist
from tests.procedures.conftest import carousel_cards, flex_texts, resident


def labels(sim, user) -> list[str]:
    return [a["label"] for a in sim.last_quick_replies(user)]


def test_moving_out_gives_a_checklist_that_is_saved_reopened_and_shown_at_the_counter(
        imported, bot_server, sim, db_session):
    user = resident(sim)
    assert sim.text(user, "引っ越し") == 200
    assert "どちらの引っ越しですか" in sim.texts(user)[-1]
    assert labels(sim, user)[:3] == ["市外から美祢市へ", "美祢市から市外へ", "美祢市の中で"]
    sim.tap(user, "美祢市から市外へ")
    assert "国民健康保険に入っていますか" in sim.texts(user)[-1]
    sim.tap(user, "はい")
    assert "お子さん" in sim.texts(user)[-1]
    sim.tap(user, "いいえ")  # the card question is only asked for moves into or within the city

    inbox = sim.inbox(user)
    assert "「引っ越し」の主な手続きです" in inbox[-3]["message"]["text"]
    cards = carousel_cards(inbox[-2]["message"])
    names = [flex_texts(card["header"])[0] for card in cards]
    assert names == ["転出届", "国民健康保険の資格喪失"]
    moving_out = flex_texts(cards[0])
    assert "窓口" in moving_out and any("市民課" in t for t in moving_out)
    assert "持ち物" in moving_out and any("本人確認書類" in t for t in moving_out)
    assert any("14日以内" in t for t in moving_out) and "見本：市で確認中の内容です" in moving_out
    online = cards[0]["footer"]["contents"][0]["action"]
    assert online["type"] == "uri" and online["uri"] == "https://myna.go.jp/"
    assert "転出届" in inbox[-2]["message"]["altText"]

    assert labels(sim, user)[0] == "保存する"
    sim.tap(user, "保存する")
    saved = sim.inbox(user)[-1]["message"]
    db_session.rollback()
    [stored] = db_session.scalars(select(SavedChecklist).where(SavedChecklist.line_user_id == user)).all()
    assert stored.procedure_keys == ["tenshutsu", "kokuho_leave"] and len(stored.code) == 6
    assert stored.code in saved["altText"]
    page_url = saved["contents"]["footer"]["contents"][0]["action"]["uri"]
    assert page_url.endswith(f"/p/{stored.code}")

    sim.text(user, "わたしの手続き")
    assert labels(sim, user)[0] == f"引っ越し（{stored.code}）"
    sim.tap(user, stored.code)
    reopened = sim.inbox(user)
    assert [flex_texts(c["header"])[0] for c in carousel_cards(reopened[-2]["message"])] == names

    with urlopen(bot_server.url + f"/p/{stored.code.lower()}") as response:
        page = response.read().decode()
        assert response.headers["X-Robots-Tag"] == "noindex"
    assert "引っ越しの手続き" in page and stored.code in page and "転出届" in page and "国民健康保険の資格喪失" in page
    assert "美祢 花子" not in page and user not in page  # nothing about the resident


def test_moving_in_asks_about_the_card_and_lists_the_moving_in_notice(imported, bot_server, sim):
    user = resident(sim)
    sim.postback(user, "action=procedures")
    assert "くらしの手続きガイド" in sim.texts(user)[-1] and "引っ越し" in labels(sim, user)
    sim.tap(user, "引っ越し")
    sim.tap(user, "市外から美祢市へ")
    sim.tap(user, "いいえ")
    sim.tap(user, "はい")
    assert "マイナンバーカードをお持ちですか" in sim.texts(user)[-1]
    sim.tap(user, "持っている")
    cards = carousel_cards(sim.inbox(user)[-2]["message"])
    assert [flex_texts(c["header"])[0] for c in cards] == [
        "転入届", "マイナンバーカードの住所・氏名の変更", "児童手当の申請", "転入学の手続き"]


def test_typed_words_open_their_event_and_old_buttons_stay_harmless(imported, bot_server, sim):
    user = resident(sim)
    sim.text(user, "子どもが生まれた")
    assert "【出生】" in sim.texts(user)[-1]
    sim.postback(user, "action=procedures.answer&event=gone&a=x.y")
    assert "もう一度、手続きの種類から" in sim.texts(user)[-1]
    sim.postback(user, "action=procedures.mine&code=ZZZZZZ")
    assert "見つかりませんでした" in sim.texts(user)[-1]


def test_an_unknown_number_shows_a_polite_page(bot_server):
    try:
        urlopen(bot_server.url + "/p/AAAAAA")
        raise AssertionError("expected 404")
    except HTTPError as exc:
        assert exc.code == 404 and "見つかりません" in exc.read().decode()


def test_online_procedures_open_by_category(bot_server, sim):
    user = resident(sim)  # nothing imported: the content files are used as they are
    sim.postback(user, "action=procedures.online&category=子育て")
    message = sim.inbox(user)[-1]["message"]
    texts = flex_texts(message["contents"])
    assert "児童手当の申請・届け出" in texts and "マイナンバーカードが必要です" in texts
    assert message["contents"]["contents"][0]["footer"]["contents"][0]["action"]["uri"] == "https://app.oss.myna.go.jp/"
