"""Normalisation: width, case, kana script and long vowels fold away."""

from bot.faq.engine.normalize import fold_sounds, katakana_to_hiragana, normalize


def test_full_width_ascii_and_case_fold():
    assert normalize("ＷｉＦｉ　ＰＡＳＳ") == "wifi pass"


def test_half_width_katakana_becomes_hiragana():
    assert normalize("ｺﾝﾋﾞﾆ") == "こんびに"


def test_katakana_and_hiragana_are_the_same():
    assert normalize("ゴミ") == normalize("ごみ") == "ごみ"
    assert katakana_to_hiragana("ヴィ") == "ゔぃ"


def test_long_vowel_marks_are_dropped_on_both_sides():
    assert normalize("カード") == normalize("かーど") == normalize("カ〜ド") == "かど"


def test_punctuation_separates_words():
    assert normalize("転入届、持ち物？") == "転入届 持ち物"


def test_kanji_are_kept():
    assert normalize("国民健康保険") == "国民健康保険"


def test_fold_sounds_drops_voicing_and_small_kana():
    assert fold_sounds("はざど") == fold_sounds("はざと") == "はさと"
    assert fold_sounds("がっこう") == "かつこう"
