"""Turn a text into the search terms the index compares.

Three channels describe a text, each as a set of terms:

- ``sur``: character n-grams of the written words (kana unified), robust to
  inflection and to a wrong character here and there;
- ``rd``: n-grams of the hiragana reading with voicing marks dropped, so that
  a hiragana-only question or a wrongly converted kanji still meets the entry;
- ``lem``: dictionary forms of the content words.

Only content words count (nouns, verbs, adjectives...): particles and politeness
differ between residents and say nothing about the topic.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.faq.analyzer import Analyzer, Token
from bot.faq.normalize import fold_sounds, is_kana, normalize
from bot.faq.synonyms import SynonymMatcher

CHANNELS = ("sur", "rd", "lem")


@dataclass(frozen=True)
class TermOptions:
    """Which n-gram sizes each channel uses."""

    surface_n: tuple[int, ...] = (2,)
    reading_n: tuple[int, ...] = (2, 3)


@dataclass(frozen=True)
class Run:
    """Consecutive content words, written and read."""

    surface: str
    reading: str


def ngrams(text: str, sizes: tuple[int, ...]) -> set[str]:
    """Character n-grams of the given sizes; a text shorter than all sizes is kept whole."""
    grams = {text[i : i + n] for n in sizes for i in range(len(text) - n + 1)}
    return grams or ({text} if text else set())


class TermExtractor:
    """Analyses texts into channel terms, expanding synonyms on the way."""

    def __init__(self, analyzer: Analyzer, synonyms: list, options: TermOptions = TermOptions()) -> None:
        self.analyzer = analyzer
        self.options = options
        self.matcher = SynonymMatcher(synonyms, self.reading_of)
        self._canonical_cache: dict[str, tuple[list[Run], set[str]]] = {}

    def reading_of(self, text: str) -> str:
        """Hiragana reading of a text, spaces removed."""
        return "".join(token.reading for token in self.analyzer.analyze(text))

    def analyse(self, text: str) -> tuple[list[Run], set[str], str, str]:
        """Content runs, lemmas, normalised surface and full reading of one text."""
        runs: list[Run] = []
        lemmas: set[str] = set()
        readings: list[str] = []
        nfkc = unicodedata.normalize("NFKC", text)
        for chunk in nfkc.split():
            if is_kana(normalize(chunk).replace(" ", "")):
                # Analysers split hiragana-only text badly: keep each piece whole.
                for piece in normalize(chunk).split():
                    runs.append(Run(piece, piece))
                    readings.append(piece)
                continue
            tokens = self.analyzer.analyze(chunk)
            runs.extend(content_runs(tokens))
            lemmas.update(t.lemma for t in tokens if t.content)
            readings.append("".join(t.reading for t in tokens))
        return runs, lemmas, normalize(nfkc).replace(" ", ""), "".join(readings)

    def terms(
        self, text: str, by_reading: bool = False, expand: bool = True, readings: bool = True
    ) -> dict[str, set[str]]:
        """Channel terms of a text, including those of its synonyms' canonical words.

        Synonyms are found by spelling, and with `by_reading` also by reading (for
        residents' questions typed in kana; FAQ entries are written properly).
        """
        runs, lemmas, surface, reading = self.analyse(text)
        texts = (surface, reading) if by_reading else (surface,)
        for canonical in self.matcher.canonicals(*texts) if expand else ():
            extra_runs, extra_lemmas = self._canonical(canonical)
            runs = runs + extra_runs
            lemmas = lemmas | extra_lemmas
        return self._channel_terms(runs, lemmas, readings)

    def _canonical(self, word: str) -> tuple[list[Run], set[str]]:
        if word not in self._canonical_cache:
            runs, lemmas, _, _ = self.analyse(word)
            self._canonical_cache[word] = (runs, lemmas)
        return self._canonical_cache[word]

    def _channel_terms(self, runs: list[Run], lemmas: set[str], readings: bool) -> dict[str, set[str]]:
        surface_terms: set[str] = set()
        reading_terms: set[str] = set()
        for run in runs:
            surface_terms |= ngrams(run.surface, self.options.surface_n)
            if readings:
                reading_terms |= ngrams(fold_sounds(run.reading), self.options.reading_n)
        return {"sur": surface_terms, "rd": reading_terms, "lem": lemmas}


def content_runs(tokens: list[Token]) -> list[Run]:
    """Group consecutive content tokens into runs (compound words stay together)."""
    runs: list[Run] = []
    surface, reading = [], []
    for token in [*tokens, None]:
        if token is not None and token.content:
            surface.append(token.surface)
            reading.append(token.reading)
        elif surface:
            runs.append(Run("".join(surface), "".join(reading)))
            surface, reading = [], []
    return runs
