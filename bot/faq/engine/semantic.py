"""The meaning channel: how close a question is to each entry in word-vector space.

A text becomes the idf-weighted sum of the vectors of its content words (nouns count fully,
verbs and adjectives at `verb_weight`), scaled to unit length. An entry's text is its
question, keywords and alternative phrasings (weight 1) and its whole answer
(`answer_weight`): the answer's words (生まれた日, 蛇口, 世帯主) are how a resident who
does not know the procedure's name describes the situation. The score of an entry is the
cosine between the two vectors. Words without a vector are skipped; the idf is the
dictionary-form channel's, so a word the corpus never uses weighs the most.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.faq.engine.analyzer import Token
from bot.faq.engine.terms import Analysis
from bot.faq.engine.vectors import WordVectors


@dataclass(frozen=True)
class MeaningWord:
    """A word of a text that has a vector: its form, its vector row and its weight."""

    form: str
    row: int
    weight: float


class MeaningSpace:
    """Entry vectors of one index, and the question vector of a search."""

    def __init__(self, vectors: WordVectors, idf, verb_weight: float) -> None:
        self.vectors = vectors
        self.idf = idf  # lemma -> idf (unknown lemmas get the highest)
        self.verb_weight = verb_weight
        self.matrix = np.zeros((0, vectors.dims), np.float32)
        self._rows: dict[str, int | None] = {}  # words repeat across entries: look each up once
        self._idf: dict[str, float] = {}

    def row(self, form: str) -> int | None:
        if form not in self._rows:
            if len(self._rows) > 100_000:
                self._rows.clear()
            self._rows[form] = self.vectors.row(form)
        return self._rows[form]

    def weight(self, lemma: str) -> float:
        if lemma not in self._idf:
            if len(self._idf) > 100_000:
                self._idf.clear()
            self._idf[lemma] = self.idf(lemma)
        return self._idf[lemma]

    def words(self, analysis: Analysis, weight: float = 1.0) -> list[MeaningWord]:
        """The content words of an analysis that have a vector (each form once)."""
        return self.token_words(analysis.tokens, weight, analysis.kana_chunks)

    def token_words(self, tokens: list[Token], weight: float = 1.0, kana_chunks=()) -> list[MeaningWord]:
        """The content words among analyser tokens (and whole kana chunks) that have a vector."""
        found: dict[str, MeaningWord] = {}
        candidates = [(chunk, chunk, True) for chunk in kana_chunks]
        candidates += [(t.lemma, t.surface, t.noun) for t in tokens if t.content and not t.standalone]
        for lemma, surface, noun in candidates:
            if lemma in found:
                continue
            row = self.row(lemma)
            if row is None and surface != lemma:
                row = self.row(surface)
            if row is not None:
                scale = weight * (1.0 if noun else self.verb_weight)
                found[lemma] = MeaningWord(lemma, row, scale * self.weight(lemma))
        return list(found.values())

    def embed(self, words: list[MeaningWord]) -> np.ndarray:
        """Unit vector of weighted words (zeros when none has a vector)."""
        if not words:
            return np.zeros(self.vectors.dims, np.float32)
        rows = np.array([word.row for word in words])
        weights = np.array([word.weight for word in words], np.float32)
        total = np.einsum("i,ij->j", weights, np.asarray(self.vectors.vectors[rows], np.float32))
        norm = float(np.linalg.norm(total))
        return total / norm if norm else total

    def finish(self, entry_words: list[list[MeaningWord]]) -> None:
        """Stack the entry vectors (one row per entry)."""
        if entry_words:
            self.matrix = np.stack([self.embed(words) for words in entry_words]).astype(np.float32)

    def scores(self, question: np.ndarray) -> np.ndarray:
        """Cosine of the question with every entry (0 for an empty question)."""
        # einsum, not BLAS: a threaded BLAS call on a busy machine costs milliseconds of waiting.
        return np.einsum("ij,j->i", self.matrix, question) if len(self.matrix) else np.zeros(0)

    def contributions(self, words: list[MeaningWord], doc: int, top: int = 3) -> list[tuple[str, float]]:
        """The question's words that brought it closest to one entry, with their share of the cosine."""
        raw = sum(word.weight * self.vectors.vector(word.row) for word in words)
        norm = float(np.linalg.norm(raw)) if words else 0.0
        if not norm:
            return []
        entry = self.matrix[doc]
        parts = [(word.form, float(word.weight * self.vectors.vector(word.row) @ entry) / norm) for word in words]
        parts = [(form, round(part, 3)) for form, part in parts if part > 0]
        return sorted(parts, key=lambda item: -item[1])[:top]
