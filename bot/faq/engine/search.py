"""Search FAQ entries for a resident's question and decide how sure we are.

`FaqIndex.build(entries)` indexes the published entries; `index.search(text)`
returns the five best entries with scores between 0 and 1, and a decision:

- ``answer``: one entry fits clearly, send its answer;
- ``suggest``: a few entries fit about equally, offer them as 「もしかして」 buttons;
- ``none``: nothing fits, say so honestly (a wrong answer is worse).

The score of an entry is the share of the question's information (inverse
document frequency) that the entry covers, blended with the share of the entry's
own question that the resident's words cover, averaged over three channels
(written n-grams, reading n-grams, dictionary forms). See docs/FAQ-SEARCH.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from bot.faq.engine.analyzer import Analyzer, get_analyzer
from bot.faq.engine.corpus import FaqEntry
from bot.faq.engine.index import ChannelIndex
from bot.faq.engine.synonyms import SynonymGroup, load_synonyms
from bot.faq.engine.terms import CHANNELS, TermExtractor, TermOptions

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


@dataclass(frozen=True)
class SearchParams:
    """Weights and thresholds; the defaults were tuned on both halves of the dev set."""

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
    answer_score: float = 0.38      # top score needed to answer...
    answer_margin: float = 0.02     # ...with this lead over the runner-up,
    answer_spread: float = 0.08     # ...and this lead over the third (one word, many entries)
    suggest_score: float = 0.38     # top score needed to suggest anything


class FaqIndex:
    """An in-memory search index over published FAQ entries."""

    def __init__(self, entries, extractor, channels, title_docs, params) -> None:
        self.entries: list[FaqEntry] = entries
        self.extractor: TermExtractor = extractor
        self.channels: dict[str, ChannelIndex] = channels
        self.title_docs: np.ndarray = title_docs  # entry number of each title
        self.params: SearchParams = params

    @classmethod
    def build(
        cls,
        entries: list[FaqEntry],
        *,
        synonyms: list[SynonymGroup] | None = None,
        analyzer: Analyzer | None = None,
        params: SearchParams | None = None,
        options: TermOptions | None = None,
    ) -> "FaqIndex":
        """Index the published entries (cheap enough to rebuild on every FAQ edit)."""
        params = params or SearchParams()
        extractor = TermExtractor(
            analyzer or get_analyzer(),
            load_synonyms() if synonyms is None else synonyms,
            options or TermOptions(),
        )
        published = [e for e in entries if e.published]
        channels = {name: ChannelIndex() for name in CHANNELS}
        title_docs: list[int] = []
        for doc, entry in enumerate(published):
            terms, titles = entry_terms(entry, extractor, params)
            first_title = len(title_docs)
            title_docs += [doc] * len(titles)
            for name, channel in channels.items():
                channel.add_entry(
                    doc, terms[name], {first_title + i: title[name] for i, title in enumerate(titles)}
                )
        for channel in channels.values():
            channel.finish(len(published), len(title_docs))
        return cls(published, extractor, channels, np.array(title_docs, np.int32), params)

    def search(self, query: str) -> SearchResult:
        """Rank entries for a question and decide whether to answer, suggest or not."""
        scores = self.score(query[:MAX_QUERY_CHARS])
        if not len(scores):
            return SearchResult(Decision.NONE, [])
        top = np.argsort(-scores, kind="stable")[:TOP_K]
        hits = [Hit(self.entries[doc].id, round(float(scores[doc]), 4)) for doc in top if scores[doc] > 0]
        return SearchResult(decide(hits, self.params), hits)

    def score(self, query: str) -> np.ndarray:
        """Blend of coverage and precision per entry, over all channels (0..1)."""
        query_terms, written_share = self.extractor.query_terms(query)
        weights = {
            name: self.params.channel_weights.get(name, 0.0) * (written_share if name == "sur" else 1.0)
            for name in self.channels
            if query_terms[name]
        }
        total_weight = sum(weights.values())
        scores = np.zeros(len(self.entries))
        for name, weight in weights.items():
            if weight:
                scores += weight / total_weight * self.channel_scores(self.channels[name], query_terms[name])
        return scores

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


def entry_terms(entry: FaqEntry, extractor: TermExtractor, params: SearchParams):
    """An entry's terms per channel with their best field weight, and the literal
    terms of each of its titles (for precision)."""
    weighted: list[tuple[float, dict[str, dict[str, float]]]] = []
    titles: list[dict[str, dict[str, float]]] = []
    for field_name, text, is_title in entry_fields(entry):
        weight = params.field_weights[field_name]
        if not weight:
            continue
        is_answer = field_name == "answer"
        literal, added = extractor.entry_terms(
            text,
            expand=params.answer_synonyms or not is_answer,
            readings=params.answer_readings or not is_answer,
        )
        weighted += [(weight, literal), (weight * params.entry_synonym_weight, added)]
        if is_title:
            titles.append(literal)
    # Lightest first, so that a term keeps the weight of its heaviest field.
    weighted.sort(key=lambda item: item[0])
    terms: dict[str, dict[str, float]] = {name: {} for name in CHANNELS}
    for weight, channel_terms in weighted:
        for name, field_terms in channel_terms.items():
            terms[name].update(dict.fromkeys(field_terms, weight))
    return terms, titles


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


def decide(hits: list[Hit], params: SearchParams) -> Decision:
    """Answer when the best entry is good and clearly ahead, suggest when close."""
    if not hits or hits[0].score < params.suggest_score:
        return Decision.NONE
    top = hits[0].score
    second = hits[1].score if len(hits) > 1 else 0.0
    third = hits[2].score if len(hits) > 2 else 0.0
    if (
        top >= params.answer_score
        and top - second >= params.answer_margin
        and top - third >= params.answer_spread
    ):
        return Decision.ANSWER
    return Decision.SUGGEST
