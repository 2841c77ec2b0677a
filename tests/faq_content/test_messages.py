"""What residents read: button labels, the answer bubble, 「もしかして」, the honest "no answer"."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.city_info import CityContact
from bot.faq.opendata import read_entries
from handlers.faq import contact_card
from messages.faq import AnswerCard, Choice, answer, choice_labels, not_found, short_label, suggestions
from tests.faq_content.conftest import SEED

CONTACT = contact_card(CityContact("美祢市役所（代表）", "0837-00-0000", "平日 8:30〜17:15", sample=True, verified_on=None))
VERIFIED = contact_card(CityContact("美祢市役所（代表）", "0837-00-0000", "平日 8:30〜17:15", sample=False,
                                    verified_on=date(2026, 4, 1)))


@pytest.mark.parametrize(("question", "label"), [
    ("住民票の写しはどこで取得できますか？", "住民票の写しはどこで取得できますか"),  # fits: kept whole
    ("家族が亡くなりました。死亡届はどうすればよいですか？", "死亡届はどうすればよいですか"),  # context dropped
    ("マイナンバーカードをなくしました。どうすればよいですか？", "マイナンバーカードをなくしました"),  # the question says only "how"
    ("秋芳洞の営業時間と入洞料は、どこで確認できますか？", "秋芳洞の営業時間と入洞料"),  # the asking part dropped
    ("戸籍謄本（戸籍全部事項証明書）はどこで取得できますか？", "戸籍謄本はどこで取得できますか"),  # brackets dropped
    ("印鑑登録をしたいのですが、何が必要ですか？", "印鑑登録をしたい"),
    ("警戒レベルとは何ですか？いつ避難すればよいですか？", "警戒レベルとは何ですか"),  # the first question
])
def test_labels_keep_what_the_question_is_about(question, label):
    assert short_label(question, 19) == label  # 19: a number ① goes in front


def test_every_seed_question_gets_a_label_of_at_most_20_characters_that_says_something():
    for entry in read_entries(SEED):
        label = short_label(entry.draft.question, 19)
        assert 4 <= len(label) <= 19, (entry.id, label)
        assert label not in {"どうすればよいですか", "どこで確認でき"}, entry.id


def test_numbered_choice_labels_fit_a_quick_reply():
    choices = [Choice("FAQ-0015", "マイナンバーカードを作りたいのですが、どうやって申請すればよいですか？"),
               Choice("FAQ-0018", "マイナンバーカードの暗証番号を忘れました（ロックされました）。どうすればよいですか？"),
               Choice("FAQ-0019", "マイナンバーカードをなくしました。どうすればよいですか？")]
    labels = choice_labels(choices)
    assert [label[0] for label in labels] == ["①", "②", "③"]
    assert all(len(label) <= 20 for label in labels) and len(set(labels)) == 3


def card(**changes) -> AnswerCard:
    fields = dict(entry_id="FAQ-0067", question="粗大ごみ（大型の家具など）はどうやって出せばよいですか？",
                  answer="粗大ごみは、事前に申し込みが必要です。" * 3, department="環境衛生課", url="https://example.jp/sodai",
                  category="ごみ・環境", unverified_sample=True)
    fields.update(changes)
    return AnswerCard(**fields)


def test_an_answer_is_a_bubble_with_department_link_sample_note_and_feedback_buttons():
    [message] = answer(card(), ask_id=42)
    data = message.to_dict()
    flat = json.dumps(data, ensure_ascii=False)
    assert data["type"] == "flex" and data["altText"].startswith("粗大ごみ（大型の家具など）")
    assert "担当：環境衛生課" in flat and "https://example.jp/sodai" in flat and "詳しく見る" in flat
    assert "見本" in flat and "解決しましたか" in flat
    actions = [item["action"] for item in data["quickReply"]["items"]]
    assert [a["label"] for a in actions] == ["解決した", "解決しない"]
    assert actions[0]["data"] == "action=faq.feedback&ask=42&entry=FAQ-0067&ok=1"
    assert actions[1]["data"].endswith("ok=0")


def test_a_checked_answer_without_link_has_no_sample_note_and_no_button():
    flat = json.dumps(answer(card(url="", unverified_sample=False), 1)[0].to_dict(), ensure_ascii=False)
    assert "見本" not in flat and "詳しく見る" not in flat


def test_a_very_long_answer_stays_within_the_alt_text_limit():
    [message] = answer(card(answer="あ" * 3000), 1)
    assert len(message.alt_text) <= 400 and message.alt_text.endswith("…")


def test_suggestions_list_the_full_questions_and_offer_numbered_buttons_and_none_of_these():
    choices = [Choice("FAQ-0001", "住民票の写しはどこで取得できますか？"),
               Choice("FAQ-0002", "家族や代理人が住民票の写しを請求することはできますか？")]
    [message] = suggestions(choices, ask_id=7)
    assert message.text.startswith("もしかして")
    assert "① 住民票の写しはどこで取得できますか？" in message.text and "② 家族や代理人が" in message.text
    actions = [item.action for item in message.quick_reply.items]
    assert [a.label for a in actions] == ["①住民票の写しはどこで取得できますか", "②家族や代理人が住民票の写しを請求する",
                                          "この中にない"]
    assert actions[1].display_text == choices[1].question
    assert actions[1].data == "action=faq.show&ask=7&entry=FAQ-0002"
    assert actions[2].data == "action=faq.none&ask=7"


def test_no_answer_gives_the_contact_marked_as_unconfirmed_and_offers_to_tell_staff():
    [message] = not_found(CONTACT, ask_id=9)
    assert "見つかりませんでした" in message.text and "0837-00-0000" in message.text and "平日 8:30〜17:15" in message.text
    assert "確認中の情報" in message.text
    labels = [item.action.label for item in message.quick_reply.items]
    assert labels[0] == "職員に伝える"
    assert message.quick_reply.items[0].action.data == "action=faq.report&ask=9"
    assert "確認中" not in not_found(VERIFIED, ask_id=9)[0].text
