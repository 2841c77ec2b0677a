"""Inverted index of one term channel, stored as compact arrays.

Terms get integer ids; the entries holding each term sit in one contiguous
slice of `docs`/`weights` (compressed sparse rows), so scoring a query is a few
array additions per query term, whatever the number of entries.
"""

from __future__ import annotations

import numpy as np


class ChannelIndex:
    """For each term of one channel: the entries (with field weight) and titles holding it."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self._pairs: tuple[list[int], list[int], list[float]] = ([], [], [])
        self._title_pairs: tuple[list[int], list[int]] = ([], [])
        self.idf = np.zeros(0)
        self.unseen_idf = 1.0
        self.doc_ptr = self.docs = self.weights = np.zeros(0)
        self.title_ptr = self.titles = self.title_mass = np.zeros(0)

    def _ids(self, terms: dict[str, float]) -> list[int]:
        """Term ids; a new term gets the next free id."""
        vocab = self.vocab
        return [vocab.setdefault(term, len(vocab)) for term in terms]

    def add_entry(self, doc: int, terms: dict[str, float], titles: dict[int, dict[str, float]]) -> None:
        """Record an entry's terms (with their best field weight) and its titles' terms."""
        ids = self._ids(terms)
        term_ids, docs, weights = self._pairs
        term_ids.extend(ids)
        docs.extend([doc] * len(ids))
        weights.extend(terms.values())
        title_term_ids, title_ids = self._title_pairs
        for title, title_terms in titles.items():
            ids = self._ids(title_terms)
            title_term_ids.extend(ids)
            title_ids.extend([title] * len(ids))

    def finish(self, n_docs: int, n_titles: int) -> None:
        """Freeze the postings into arrays; compute idf and each title's information mass."""
        n_terms = len(self.vocab)
        term_ids = np.array(self._pairs[0], np.int64)
        df = np.bincount(term_ids, minlength=n_terms)
        self.idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        self.unseen_idf = float(np.log1p((n_docs + 0.5) / 0.5))
        order = np.argsort(term_ids, kind="stable")
        self.docs = np.array(self._pairs[1], np.int32)[order]
        self.weights = np.array(self._pairs[2], np.float64)[order]
        self.doc_ptr = np.concatenate(([0], np.cumsum(df)))

        title_term_ids = np.array(self._title_pairs[0], np.int64)
        title_ids = np.array(self._title_pairs[1], np.int32)
        self.title_mass = np.bincount(title_ids, self.idf[title_term_ids], n_titles)
        self.title_mass[self.title_mass == 0] = 1.0
        order = np.argsort(title_term_ids, kind="stable")
        self.titles = title_ids[order]
        self.title_ptr = np.concatenate(([0], np.cumsum(np.bincount(title_term_ids, minlength=n_terms))))
        self._pairs, self._title_pairs = ([], [], []), ([], [])

    def accumulate(
        self, terms: dict[str, float], unseen_weight: float, coverage: np.ndarray, overlap: np.ndarray
    ) -> float:
        """Add each known query term's weight × idf × field weight to `coverage` (per
        entry) and its weight × idf to `overlap` (per title); return the query's
        total information."""
        total = 0.0
        vocab, idf_of = self.vocab, self.idf
        for term, weight in terms.items():
            term_id = vocab.get(term)
            if term_id is None:
                total += self.unseen_idf * unseen_weight * weight
                continue
            idf = float(idf_of[term_id]) * weight
            total += idf
            start, end = self.doc_ptr[term_id], self.doc_ptr[term_id + 1]
            coverage[self.docs[start:end]] += idf * self.weights[start:end]
            start, end = self.title_ptr[term_id], self.title_ptr[term_id + 1]
            if end > start:
                overlap[self.titles[start:end]] += idf
        return total

    def known_mass(self, terms: dict[str, float], unseen_weight: float) -> tuple[float, float]:
        """(information of the query terms the corpus knows, total information)."""
        known = total = 0.0
        for term, weight in terms.items():
            term_id = self.vocab.get(term)
            if term_id is None:
                total += self.unseen_idf * unseen_weight * weight
            else:
                known += float(self.idf[term_id]) * weight
                total += float(self.idf[term_id]) * weight
        return known, total

    def in_entry(self, term: str, doc: int) -> bool:
        """Whether an entry holds a term (for explanations)."""
        term_id = self.vocab.get(term)
        if term_id is None:
            return False
        start, end = self.doc_ptr[term_id], self.doc_ptr[term_id + 1]
        return bool(np.any(self.docs[start:end] == doc))

    def idf_of(self, term: str) -> float:
        """The idf of a term; the highest (an unseen term's) when the corpus lacks it."""
        term_id = self.vocab.get(term)
        return self.unseen_idf if term_id is None else float(self.idf[term_id])
