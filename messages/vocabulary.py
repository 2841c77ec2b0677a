"""Every word residents may type that the bot acts on (compared after `normalise_text`: NFKC,
trimmed, inner spaces collapsed). What the bot says is in `messages/catalogue.py`."""

from __future__ import annotations

# 「やめる」: leaves whatever flow the resident is in.
CANCEL_WORDS = frozenset({"やめる", "キャンセル", "中止", "やめます"})

# Intents: a whole message that asks for one thing.
SETTINGS_INTENTS = ["設定", "地域", "地域設定", "受信設定", "地域・受信設定"]
MENU_INTENTS = ["メニュー", "ヘルプ", "使い方"]
ONLINE_PROCEDURES_INTENTS = ["オンライン手続き", "オンライン申請"]
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
NO_PHONE_WORDS = frozenset({"なし", "ない", "ありません", "いいえ", "電話番号なしで進む", "電話なし"})

# An area typed instead of tapped: its label (「美東」) with or without these endings, or its reading.
AREA_SUFFIXES = ("地域", "町")  # dropped in this order: 「美東町地域」 → 「美東」
AREA_READINGS = {"みね": "mine", "みとう": "mito", "しゅうほう": "shuho"}
# 被害の報告: typed instead of tapping 「写真なし」 / 「位置情報なし」.
NO_PHOTO_WORDS = frozenset({"写真なし", "写真はない", "写真はありません", "なし", "ない", "ありません"})
NO_LOCATION_WORDS = frozenset({"位置情報なし", "わからない", "分からない", "不明", "なし", "ない"})
