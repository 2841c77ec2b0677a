"""Every word residents may type that the bot acts on (compared after `normalise_text`: NFKC,
trimmed, inner spaces collapsed). What the bot says is in `messages/catalogue.py`."""

from __future__ import annotations

# 「やめる」: leaves whatever flow the resident is in.
CANCEL_WORDS = frozenset({"やめる", "キャンセル", "中止", "やめます"})

# 「もうええわ」: inside a flow, the resident gives up; answered like 「やめる」 (outside a flow these
# are ordinary text).
GIVE_UP_WORDS = frozenset({"もうええわ", "もうええ", "もうええです", "もういい", "もういいです", "もういいよ", "やっぱりいい",
                           "やめとく", "やめときます", "結構です", "けっこうです", "いらない", "いらん", "もうやめた"})
# 「続きから」: back to the flow a command put aside.
RESUME_WORDS = ["続きから", "つづきから", "続ける", "続きをする"]

# Intents: a whole message that asks for one thing.
#
# Command words: the intents `bot/routes.py` registers with `router.on_command` (every list below
# except THANKS_PHRASES and HELLO_PHRASES, and each feature's own, such as 避難所). A command
# word answers its command even while a flow waits for an answer: the flow is put aside (and can
# be resumed with 「続きから」) or, when the command starts another flow, ended; the resident is
# told which. Inside a flow no other text is taken for a command.
SETTINGS_INTENTS = ["設定", "地域", "地域設定", "受信設定", "地域・受信設定"]
MENU_INTENTS = ["メニュー"]
HELP_INTENTS = ["使い方", "つかいかた", "使いかた", "ヘルプ", "何ができるの", "なにができるの"]
ONLINE_PROCEDURES_INTENTS = ["オンライン手続き", "オンライン申請", "電子申請"]
# くらしの手続きガイド: 「手続き」 opens it; an event's words open that event's questions.
PROCEDURES_INTENTS = ["手続き", "てつづき", "くらしの手続き", "手続きガイド", "くらしの手続きガイド", "手続きを調べる"]
MY_PROCEDURES_INTENTS = ["わたしの手続き", "私の手続き", "保存した手続き"]
LIFE_EVENT_WORDS = {
    "moving": ["引っ越し", "引越し", "引っ越す", "引越", "転居", "転入", "転出", "引っ越しました", "引っ越します"],
    "birth": ["出生", "出産", "出生届", "子どもが生まれた", "子供が生まれた", "こどもが生まれた", "赤ちゃんが生まれた"],
    "marriage": ["結婚", "婚姻", "婚姻届", "結婚した", "結婚します"],
    "divorce": ["離婚", "離婚届", "離婚した"],
    "death": ["おくやみ", "お悔やみ", "死亡届", "家族が亡くなった", "亡くなった"],
    "work": ["就職", "退職", "就職・退職", "仕事をやめた", "会社をやめた", "仕事が決まった"],
    "school": ["入学", "転校", "入学・転校", "就学"],
    "age65": ["65歳", "65歳になる", "65歳になった"],
    "mynumber": ["マイナンバーカードの手続き", "マイナカードの手続き"],  # 「マイナンバーカード」 alone: the FAQ
}
NOTICES_INTENTS = ["お知らせ", "おしらせ", "最新のお知らせ", "お知らせを見る"]
# スマホ教室: the list, and one's bookings.
LIST_INTENTS = ["スマホ教室", "すまほ教室", "スマホきょうしつ", "スマホ教室の申し込み", "スマホ教室に申し込む",
                "教室", "教室の申し込み"]
MY_BOOKINGS_INTENTS = ["予約の確認", "予約確認", "よやくの確認", "予約", "教室の予約", "申し込みの確認",
                       "予約のキャンセル", "予約の取り消し"]
# 避難所 and 被害の報告.
SHELTERS_INTENTS = ["避難所", "ひなんじょ", "避難場所", "避難所を見る", "開設中の避難所", "避難所はどこ", "避難所はどこですか"]
SHELTERS_NEAR_INTENTS = ["近くの避難所", "近くの避難所を探す", "近くの避難所は", "最寄りの避難所"]
DAMAGE_INTENTS = ["被害を報告", "被害の報告", "被害報告", "被害を報告する", "被害の通報"]
# Messages that are not questions: answered kindly, not searched, not put on staff's list.
THANKS_PHRASES = [word + end for word in ("ありがとう", "ありがとうございます", "ありがとうございました", "どうも",
                                            "わかりました", "分かりました", "了解", "了解です")
                  for end in ("", "!", "。", "!!", "ー", "♪")]
HELLO_PHRASES = [word + end for word in ("こんにちは", "こんばんは", "おはよう", "おはようございます", "はじめまして")
                 for end in ("", "!", "。", "ー")]

# Answers inside a flow.
YES_WORDS = frozenset({"はい", "はい。", "OK", "ok", "いいです", "お願いします", "申し込む", "申し込みます"})
NO_WORDS = frozenset({"いいえ", "いいえ。", "違う", "ちがう", "違います", "ちがいます"})
NO_PHONE_WORDS = frozenset({"なし", "ない", "ありません", "いいえ", "電話番号なしで進む", "電話なし"})

# An area typed instead of tapped: its label (「美東」) with or without these endings, or its reading.
AREA_SUFFIXES = ("地域", "町")  # dropped in this order: 「美東町地域」 → 「美東」
AREA_READINGS = {"みね": "mine", "みとう": "mito", "しゅうほう": "shuho"}
# 被害の報告: typed instead of tapping 「写真なし」 / 「位置情報なし」.
NO_PHOTO_WORDS = frozenset({"写真なし", "写真はない", "写真はありません", "なし", "ない", "ありません"})
NO_LOCATION_WORDS = frozenset({"位置情報なし", "わからない", "分からない", "不明", "なし", "ない"})
