"""Morphological analysis: split Japanese text into words with readings.

The analyser is MeCab (through fugashi) with the IPADIC dictionary (`ipadic`), both installed
from PyPI. Its tagger is created once per process, on first use. IPADIC replaced UniDic-lite
(issue 14/9 memory): about as accurate here, and its files (49 MB words, 3.5 MB connection
matrix, against UniDic-lite's 188 + 72 MB) are memory-mapped, so each web worker maps about
45 MiB of dictionary instead of 130 (see docs/FAQ-SEARCH.md, "Analysers").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

from bot.faq.engine.normalize import normalize

# Parts of speech that carry the meaning of a question (IPADIC's 接頭詞 and 名詞-接尾 are read
# as 接頭辞 and 接尾辞 by `ipadic_token`).
CONTENT_POS = {"名詞", "動詞", "形容詞", "接頭辞", "接尾辞", "副詞"}
# Nouns that only point at something (こと, これ, 三): IPADIC's 名詞 subclasses.
EMPTY_NOUN_CLASSES = {"非自立", "代名詞", "数"}
# Frequent dictionary forms that say nothing about the topic ("do", "be able", "thing"...).
STOP_LEMMAS = {
    "する", "ある", "いる", "なる", "できる", "いう", "思う", "おもう", "行う", "くれる", "もらう",
    "良い", "よい", "いい", "事", "こと", "物", "もの", "為", "ため", "様", "よう", "方", "ほう",
    "所", "ところ", "時", "とき", "場合", "方法", "何", "なに", "なん",
    "どう", "どの", "この", "その", "もう", "ちょっと", "とても",
    "御", "お", "ご", "等", "など", "達", "たち", "さん", "様々", "色々", "いろいろ",
    # Politeness and humility say how one asks, never what (伺う, いただく, ございます, 存じる...).
    "伺う", "うかがう", "存じる", "申す", "参る", "まいる", "致す", "いたす", "頂く", "いただく",
    "いただける", "下さる", "くださる", "ござる", "おる", "恐れ入る", "恐縮", "失礼", "申し訳",
    "手数", "宜しい", "よろしい", "助かる", "教える", "尋ねる", "仕舞う", "しまう",
}
# Suffixes that add nothing to a word (お客さん, 子ども達, 出し方).
STOP_SUFFIXES = {"さん", "様", "達", "たち", "等", "など", "ら", "ちゃん", "君", "くん", "方"}

# Question words that tell what kind of answer is wanted (a place, a date, a price).
QUESTION_LEMMAS = {"どこ", "いつ", "いくら"}


@dataclass(frozen=True)
class Token:
    """One word: normalised surface, dictionary form and hiragana reading."""

    surface: str
    lemma: str
    reading: str
    content: bool
    standalone: bool = False  # a question word: never part of a compound
    suffix: bool = False  # 所 in 避難所: may be voiced in speech (ひなんじょ)
    noun: bool = False  # names a thing (the topic of a question is a noun)


class Analyzer(Protocol):
    """Anything that splits text into Tokens (MeCab here; others in the benchmark)."""

    def analyze(self, text: str) -> list[Token]: ...


class MecabAnalyzer:
    """fugashi + ipadic: fast, and its dictionary is memory-mapped."""

    def __init__(self) -> None:
        import fugashi  # imported here so that importing the package stays cheap
        import ipadic

        # One line per word: surface, POS, POS subclass, dictionary form, reading (IPADIC
        # features 0, 1, 6, 7). Parsing this text is about twice as fast as feature objects.
        dicdir = ipadic.DICDIR
        node = r"%m\\t%f[0]\\t%f[1]\\t%f[6]\\t%f[7]\\n"
        unknown = r"%m\\t%f[0]\\t%f[1]\\t\\t\\n"
        self._tagger = fugashi.GenericTagger(
            f'-r {dicdir}/mecabrc -d {dicdir} -O "" -F{node} -U{unknown}'
        )
        self._lock = threading.Lock()  # a MeCab tagger is not thread-safe
        self._tokens: dict[str, Token] = {}  # the vocabulary repeats: convert once

    def analyze(self, text: str) -> list[Token]:
        with self._lock:
            output = self._tagger.parse(text)
        tokens = self._tokens
        return [
            tokens.get(line) or self._remember(line)
            for line in output.split("\n")
            if line and line != "EOS"
        ]

    def _remember(self, line: str) -> Token:
        if len(self._tokens) > 200_000:
            self._tokens.clear()
        surface, pos, subclass, base, reading = (line.split("\t") + ["", "", "", ""])[:5]
        token = ipadic_token(surface, pos, subclass, base, reading)
        self._tokens[line] = token
        return token


def ipadic_token(surface: str, pos: str, subclass: str, base: str, reading: str) -> Token:
    """A Token from IPADIC's fields (`*` where IPADIC has no value)."""
    base = "" if base == "*" else base
    reading = "" if reading == "*" else reading
    if pos == "名詞" and subclass == "接尾":
        pos = "接尾辞"
    elif pos == "接頭詞":
        pos = "接頭辞"
    token = make_token(surface, pos, base or surface, reading)
    if pos == "名詞" and subclass in EMPTY_NOUN_CLASSES and not token.standalone:
        return Token(token.surface, token.lemma, token.reading, False, noun=True)
    return token


def make_token(surface: str, pos: str, lemma: str | None, kana: str | None) -> Token:
    """Build a Token from a dictionary's fields: surface, part of speech, dictionary form, reading."""
    norm = normalize(surface)
    base = normalize((lemma or surface).split("-")[0]) or norm
    reading = normalize(kana or "") or norm
    if base in QUESTION_LEMMAS:
        return Token(norm, base, reading, True, standalone=True)
    if pos == "接尾辞":  # 避難所, 出し方: the suffix is part of the word, whatever its lemma
        return Token(norm, base, reading, bool(norm) and base not in STOP_SUFFIXES, suffix=True, noun=True)
    content = bool(norm) and pos in CONTENT_POS and base not in STOP_LEMMAS and norm not in STOP_LEMMAS
    return Token(norm, base, reading, content, noun=pos == "名詞")


_lock = threading.Lock()
_default: Analyzer | None = None


def get_analyzer() -> Analyzer:
    """Return the process-wide analyser, creating it on first use."""
    global _default
    with _lock:
        if _default is None:
            _default = MecabAnalyzer()
        return _default
