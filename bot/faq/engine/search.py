"""Search FAQ entries for a resident's question and decide how sure we are.

`FaqIndex.build(entries)` indexes the published entries; `index.search(text)`
returns the five best entries with scores between 0 and 1, a decision and the
probability that the first entry is right:

- ``answer``: the first entry is very probably right, send its answer;
- ``suggest``: the right entry is probably among the first ones, offer them as 「もしかして」 buttons;
- ``none``: nothing fits, say so honestly (a wrong answer is worse).

The score of an entry blends two signals. *Words*: the share of the question's
information (inverse document frequency) that the entry covers, blended with the
share of the entry's own question that the resident's words cover, averaged over
three channels (written n-grams, reading n-grams, dictionary forms). *Meaning*: the
cosine of word vectors (semantic.py), so that a resident who describes a situation
finds the entry whose words they did not use. The decision is a calibrated
probability from both signals and out-of-scope cues (decision.py, scope.py).
`index.explain(text)` says which words and meanings counted. See docs/FAQ-SEARCH.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from bot.faq.engine.analyzer import Analyzer, get_analyzer
from bot.faq.engine.corpus import FaqEntry
from bot.faq.engine.decision import DecisionModel, load_model
from bot.faq.engine.index import ChannelIndex
from bot.faq.engine.scope import ScopeCues, ScopeMatcher, get_scope
from bot.faq.engine.semantic import MeaningSpace, MeaningWord
from bot.faq.engine.synonyms import SynonymGroup, load_synonyms
from bot.faq.engine.terms import CHANNELS, Analysis, TermExtractor, TermOptions
from bot.faq.engine.normalize import normalize as normalize_text
from bot.faq.engine.vectors import WordVectors, get_vectors

TOP_K = 5
MAX_QUERY_CHARS = 400  # a question is short; a pasted essay only costs time
ANSWER_LEAD_SENTENCES = 1  # the answer's first sentence names its topic; the rest adds noise


class Decision(StrEnum):
    """What the bot should do with a search result."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    NONE = "none"


@dataclass(frozen=True)
class Hit:
    """One matching entry and how well it matches (0..1)."""

    entry_id: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    """The decision and the best entries, best first."""

    decision: Decision
    hits: list[Hit]
    probability: float = 0.0  # that the first hit answers the question (calibrated)


@dataclass(frozen=True)
class SearchParams:
    """Weights of the signals; the decision's thresholds are in the decision model."""

    channel_weights: dict[str, float] = field(
        default_factory=lambda: {"sur": 1.0, "rd": 1.0, "lem": 0.5}
    )
    field_weights: dict[str, float] = field(
        default_factory=lambda: {"question": 1.0, "alt": 1.0, "answer": 0.35}
    )
    entry_synonym_weight: float = 0.8  # an entry's synonyms count this much of its words
    answer_synonyms: bool = False   # look for synonyms in answers too (slower, no better)
    answer_readings: bool = False   # index the readings of answers too (slower, no better)
    precision_weight: float = 0.3   # share of the entry's own question covered
    unseen_weight: float = 0.5      # idf factor for query terms no entry contains
    meaning_weight: float = 0.3     # share of the meaning signal in the score
    meaning_floor: float = 0.2      # a cosine below this says nothing (unrelated words sit near 0.2-0.3)
    meaning_answer_weight: float = 1.0  # the answer's words in an entry's meaning
    meaning_full_answer: bool = True    # all of the answer (else its lead sentence only)
    meaning_verb_weight: float = 0.7    # verbs and adjectives against nouns
    meaning_unseen_weight: float = 1.0  # idf factor of words no entry uses (ランドセル, 役所)


@dataclass(frozen=True)
class Ranking:
    """Everything a search computed: scores per signal, the order, and the decision's features."""

    scores: np.ndarray
    lexical: np.ndarray
    meaning: np.ndarray
    order: list[int]
    features: dict[str, float]
    analysis: Analysis
    terms: dict[str, dict[str, float]]
    meaning_words: list[MeaningWord]
    cues: ScopeCues


@dataclass(frozen=True)
class HitExplanation:
    """Why one entry matched: the words per channel, the meaning, the scores."""

    entry_id: str
    score: float
    lexical: float
    meaning: float
    words: list[str]                     # the question's words found in the entry (written or read)
    lemmas: list[str]                    # dictionary forms shared with the entry
    synonyms: list[tuple[str, str]]      # (the question's word, the entry's word it stood for)
    meaning_words: list[tuple[str, float]]  # the question's words that brought the meanings together


@dataclass(frozen=True)
class Explanation:
    """A search result with the reasons behind it (for staff)."""

    result: SearchResult
    inscope: float
    cues: ScopeCues
    hits: list[HitExplanation]


class FaqIndex:
    """An in-memory search index over published FAQ entries."""

    def __init__(self, entries, extractor, channels, title_docs, params, meaning, model, scope) -> None:
        self.entries: list[FaqEntry] = entries
        self.extractor: TermExtractor = extractor
        self.channels: dict[str, ChannelIndex] = channels
        self.title_docs: np.ndarray = title_docs  # entry number of each title
        self.params: SearchParams = params
        self.meaning: MeaningSpace | None = meaning
        self.model: DecisionModel = model
        self.scope: ScopeMatcher = scope

    @classmethod
    def build(
        cls,
        entries: list[FaqEntry],
        *,
        synonyms: list[SynonymGroup] | None = None,
        analyzer: Analyzer | None = None,
        params: SearchParams | None = None,
        options: TermOptions | None = None,
        vectors: WordVectors | None | bool = True,
        model: DecisionModel | None = None,
        scope: ScopeMatcher | None = None,
    ) -> "FaqIndex":
        """Index the published entries (cheap enough to rebuild on every FAQ edit).

        `vectors=True` uses the shipped word vectors (memory-mapped, shared); `None` or
        `False` searches by words only."""
        params = params or SearchParams()
        extractor = TermExtractor(
            analyzer or get_analyzer(),
            load_synonyms() if synonyms is None else synonyms,
            options or TermOptions(),
        )
        published = [e for e in entries if e.published]
        channels = {name: ChannelIndex() for name in CHANNELS}
        title_docs: list[int] = []
        analyses: list[list[tuple[Analysis | list, float]]] = []
        for doc, entry in enumerate(published):
            terms, titles, analysed = entry_terms(entry, extractor, params)
            analyses.append(analysed)
            first_title = len(title_docs)
            title_docs += [doc] * len(titles)
            for name, channel in channels.items():
                channel.add_entry(
                    doc, terms[name], {first_title + i: title[name] for i, title in enumerate(titles)}
                )
        for channel in channels.values():
            channel.finish(len(published), len(title_docs))
        word_vectors = get_vectors() if vectors is True else (vectors or None)
        meaning = None
        if word_vectors is not None:
            lemmas = channels["lem"]

            def idf(lemma: str) -> float:
                known = lemma in lemmas.vocab
                return lemmas.idf_of(lemma) * (1.0 if known else params.meaning_unseen_weight)

            meaning = MeaningSpace(word_vectors, idf, params.meaning_verb_weight)
            meaning.finish([merge_words(meaning, analysed) for analysed in analyses])
        return cls(published, extractor, channels, np.array(title_docs, np.int32), params, meaning,
                   model or load_model(), scope or get_scope())

    def search(self, query: str) -> SearchResult:
        """Rank entries for a question and decide whether to answer, suggest or not."""
        return self._result(self.rank(query))[0]

    def _result(self, ranking: Ranking) -> tuple[SearchResult, float]:
        scores = ranking.scores
        hits = [Hit(self.entries[doc].id, round(float(scores[doc]), 4)) for doc in ranking.order]
        if not hits:
            return SearchResult(Decision.NONE, []), 0.0
        decision, right, inscope = self.model.decide(ranking.features, len(hits))
        return SearchResult(Decision(decision), hits, round(right, 4)), inscope

    def rank(self, query: str) -> Ranking:
        """Scores of every entry by words and by meaning, the best five, and the decision's features."""
        query = query[:MAX_QUERY_CHARS]
        analysis = self.extractor.analyse(query)
        query_terms, written_share = self.extractor.query_terms(query, analysis)
        lexical, known = self._lexical(query_terms, written_share)
        words: list[MeaningWord] = []
        meaning = np.zeros(len(self.entries))
        if self.meaning is not None and len(self.entries):
            words = self.meaning.words(analysis)
            meaning = self.meaning.scores(self.meaning.embed(words)) if words else meaning
        floor = self.params.meaning_floor
        alpha = self.params.meaning_weight if words else 0.0
        scores = (1 - alpha) * lexical + alpha * np.clip((meaning - floor) / (1 - floor), 0.0, 1.0)
        order = top_entries(scores)
        cues = self.scope.cues(query)
        features = decision_features(scores, lexical, meaning, order, known, len(analysis.runs), cues)
        return Ranking(scores, lexical, meaning, order, features, analysis, query_terms, words, cues)

    def score(self, query: str) -> np.ndarray:
        """The blended score of every entry (0..1)."""
        return self.rank(query).scores

    def _lexical(self, query_terms: dict[str, dict[str, float]], written_share: float) -> tuple[np.ndarray, float]:
        """Blend of coverage and precision per entry over all channels (0..1), and the share
        of the question's information the corpus knows."""
        weights = {
            name: self.params.channel_weights.get(name, 0.0) * (written_share if name == "sur" else 1.0)
            for name in self.channels
            if query_terms[name]
        }
        total_weight = sum(weights.values())
        scores = np.zeros(len(self.entries))
        known = total = 0.0
        for name, weight in weights.items():
            if weight:
                channel = self.channels[name]
                scores += weight / total_weight * self.channel_scores(channel, query_terms[name])
                part, whole = channel.known_mass(query_terms[name], self.params.unseen_weight)
                if whole:
                    known += weight * part / whole
                    total += weight
        return scores, (known / total if total else 0.0)

    def channel_scores(self, channel: ChannelIndex, terms: dict[str, float]) -> np.ndarray:
        """Coverage of the query by each entry, blended with precision on its titles."""
        coverage = np.zeros(len(self.entries))
        overlap = np.zeros(len(self.title_docs))
        total = channel.accumulate(terms, self.params.unseen_weight, coverage, overlap)
        if total <= 0:
            return coverage
        precision = np.zeros(len(self.entries))
        np.maximum.at(precision, self.title_docs, overlap / channel.title_mass)
        beta = self.params.precision_weight
        return (1 - beta) * coverage / total + beta * precision

    def explain(self, query: str) -> Explanation:
        """The search result with, for each hit, the words and meaning that made it match."""
        ranking = self.rank(query)
        result, inscope = self._result(ranking)
        synonyms = self.extractor.matcher.matches(
            normalize_text(query[:MAX_QUERY_CHARS]), "".join(t.reading for t in ranking.analysis.tokens)
        )
        hits = [self._explain_hit(ranking, doc, synonyms) for doc in ranking.order]
        return Explanation(result, round(inscope, 4), ranking.cues, hits)

    def _explain_hit(self, ranking: Ranking, doc: int, synonyms: list[tuple[str, str]]) -> HitExplanation:
        extractor = self.extractor
        words = []
        for run in ranking.analysis.runs:
            grams = extractor._surface_grams(run.surface) | extractor._reading_grams(run.reading)
            if any(self.channels["sur"].in_entry(g, doc) or self.channels["rd"].in_entry(g, doc) for g in grams):
                words.append(run.surface)
        lemmas = [lemma for lemma in sorted(ranking.terms["lem"]) if self.channels["lem"].in_entry(lemma, doc)]
        used = []
        for canonical, member in synonyms:
            canonical_grams = extractor._surface_grams(normalize_text(canonical).replace(" ", ""))
            if any(self.channels["sur"].in_entry(g, doc) for g in canonical_grams):
                used.append((member, canonical))
        contributions = self.meaning.contributions(ranking.meaning_words, doc) if self.meaning else []
        return HitExplanation(
            self.entries[doc].id, round(float(ranking.scores[doc]), 4), round(float(ranking.lexical[doc]), 4),
            round(float(ranking.meaning[doc]), 4), list(dict.fromkeys(words)), lemmas,
            list({canonical: (member, canonical) for member, canonical in reversed(used)}.values())[::-1],
            contributions,
        )


def decision_features(scores, lexical, meaning, order, known, n_words, cues: ScopeCues) -> dict[str, float]:
    """The features the decision model reads (see decision.FEATURES)."""
    top = order[0] if order else 0
    ranked = [float(scores[doc]) for doc in order] + [0.0, 0.0, 0.0]
    best_other_lexical = best_other(lexical, top)
    best_other_meaning = best_other(meaning, top)
    agree = float(
        len(scores) > 0 and int(np.argmax(lexical)) == top and int(np.argmax(meaning)) == top and meaning[top] > 0
    )
    return {
        "score": ranked[0], "margin2": ranked[0] - ranked[1], "margin3": ranked[0] - ranked[2],
        "lexical": float(lexical[top]) if len(scores) else 0.0,
        "lexical_margin": (float(lexical[top]) - best_other_lexical) if len(scores) else 0.0,
        "meaning": float(meaning[top]) if len(scores) else 0.0,
        "meaning_margin": (float(meaning[top]) - best_other_meaning) if len(scores) else 0.0,
        "agree": agree, "known": known, "length": math.log1p(n_words),
        "place": float(bool(cues.place)), "office": float(bool(cues.office)), "business": float(bool(cues.business)),
    }


def top_entries(scores: np.ndarray, k: int = TOP_K) -> list[int]:
    """The `k` best entries with a positive score, best first (ties: the earlier entry)."""
    if len(scores) > k:
        candidates = np.argpartition(-scores, k - 1)[:k]
        # Entries tied with the k-th may lie outside the candidates: take them all, then sort.
        candidates = np.flatnonzero(scores >= scores[candidates].min())
    else:
        candidates = np.arange(len(scores))
    ranked = sorted(candidates.tolist(), key=lambda doc: (-scores[doc], doc))[:k]
    return [int(doc) for doc in ranked if scores[doc] > 0]


def best_other(values: np.ndarray, top: int) -> float:
    """The highest value of any entry but `top` (0 when there is none)."""
    if len(values) < 2:
        return 0.0
    best_two = np.partition(values, len(values) - 2)[-2:]
    return float(best_two[1] if values[top] < best_two[1] else best_two[0])


def merge_words(meaning: MeaningSpace, analysed: list[tuple[Analysis | list, float]]) -> list[MeaningWord]:
    """An entry's meaning words over its fields, each word with its heaviest field's weight."""
    merged: dict[str, MeaningWord] = {}
    for analysis, weight in analysed:
        words = meaning.words(analysis, weight) if isinstance(analysis, Analysis) else meaning.token_words(analysis, weight)
        for word in words:
            if word.form not in merged or merged[word.form].weight < word.weight:
                merged[word.form] = word
    return list(merged.values())


def entry_terms(entry: FaqEntry, extractor: TermExtractor, params: SearchParams):
    """An entry's terms per channel with their best field weight, the literal terms of
    each of its titles (for precision), and the analyses of its texts for the meaning
    channel (titles, and the whole answer) with their weights."""
    weighted: list[tuple[float, dict[str, dict[str, float]]]] = []
    titles: list[dict[str, dict[str, float]]] = []
    analysed: list[tuple[Analysis, float]] = []
    for field_name, text, is_title in entry_fields(entry):
        weight = params.field_weights[field_name]
        if not weight:
            continue
        is_answer = field_name == "answer"
        analysis = extractor.analyse(text)
        literal, added = extractor.entry_terms(
            text,
            expand=params.answer_synonyms or not is_answer,
            readings=params.answer_readings or not is_answer,
            analysis=analysis,
        )
        weighted += [(weight, literal), (weight * params.entry_synonym_weight, added)]
        if is_title:
            titles.append(literal)
            analysed.append((analysis, 1.0))
        elif params.meaning_full_answer is False and params.meaning_answer_weight:
            analysed.append((analysis, params.meaning_answer_weight))
    # Lightest first, so that a term keeps the weight of its heaviest field.
    weighted.sort(key=lambda item: item[0])
    terms: dict[str, dict[str, float]] = {name: {} for name in CHANNELS}
    for weight, channel_terms in weighted:
        for name, field_terms in channel_terms.items():
            terms[name].update(dict.fromkeys(field_terms, weight))
    if entry.answer and params.meaning_answer_weight and params.meaning_full_answer:
        # The meaning channel needs only the answer's words: no runs, no synonyms.
        analysed.append((extractor.analyzer.analyze(entry.answer), params.meaning_answer_weight))
    return terms, titles, analysed


def entry_fields(entry: FaqEntry) -> list[tuple[str, str, bool]]:
    """(field name, text, is a title) of each searchable part of an entry.

    A title is a way of asking the question: the question with its keywords, or
    one alternative phrasing. Precision is measured against the best title.
    """
    question = entry.question + " " + " ".join(entry.keywords)
    fields = [("question", question, True)]
    fields += [("alt", alt, True) for alt in entry.alt_questions if alt]
    if entry.answer:
        fields.append(("answer", answer_lead(entry.answer), False))
    return fields



def answer_lead(answer: str) -> str:
    """The first sentences of an answer, where it names its topic."""
    sentences = answer.split("。")
    return "。".join(sentences[:ANSWER_LEAD_SENTENCES])
