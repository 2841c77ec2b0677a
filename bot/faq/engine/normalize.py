"""Text normalisation shared by the index and the queries.

Residents type with any width, in hiragana or katakana, with or without long-vowel
marks. Both sides go through the same folding so that these differences vanish.
"""

from __future__ import annotations

import re
import unicodedata

HIRAGANA_SHIFT = ord("ァ") - ord("ぁ")
LONG_VOWEL_MARKS = "ー〜～"
SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
# Anything that is not a letter, digit or Japanese character separates words.
SEPARATOR_RE = re.compile(r"[^0-9a-z\u3041-\u3096\u30a1-\u30fa\u3005\u3006\u4e00-\u9fff#]+")


KATAKANA_TO_HIRAGANA = {code: code - HIRAGANA_SHIFT for code in range(ord("ァ"), ord("ヶ") + 1)}
FOLD_TABLE = {**KATAKANA_TO_HIRAGANA, **{ord(mark): None for mark in LONG_VOWEL_MARKS}}


def katakana_to_hiragana(text: str) -> str:
    """Map katakana letters to hiragana (ヴ → ゔ); other characters stay as they are."""
    return text.translate(KATAKANA_TO_HIRAGANA)


def normalize(text: str) -> str:
    """Fold width, case, kana script and long vowels; punctuation becomes one space.

    >>> normalize("ﾏｲﾅﾝﾊﾞｰ　カード！")
    'まいなんば かど'
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(FOLD_TABLE)
    return SEPARATOR_RE.sub(" ", text).strip()


def fold_sounds(kana: str) -> str:
    """Drop voicing marks and enlarge small kana, for typo-tolerant reading match.

    がっこう and かつこう fold to the same string; so do ハザート and ハザード.
    """
    decomposed = unicodedata.normalize("NFD", kana)
    stripped = decomposed.replace("\u3099", "").replace("\u309a", "")
    return unicodedata.normalize("NFC", stripped).translate(SMALL_TO_LARGE)

