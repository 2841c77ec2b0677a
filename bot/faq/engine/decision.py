"""The decision: a calibrated probability that the first entry is right, and what to do with it.

Two logistic models read the same features of a search (see FEATURES):

- `right`: the probability that the first entry answers the question;
- `inscope`: the probability that the question is answerable and its entry is among the
  first three (worth a 「もしかして」).

The bot answers when `right` >= `answer_at` (and the third entry is at least `min_spread`
behind: one word that fits a whole family, such as 手当, is a question of which; and the second
at least `min_lead` behind), suggests when `inscope` >= `suggest_at`, and
otherwise says it has no answer. Weights, feature scaling and thresholds are data
(content/faq/decision-model.json), learned by bench/faq_calibrate.py with leave-one-style-out
cross-validation; the thresholds maximise a utility in which a wrong answer costs four times
what a right one gains (see docs/FAQ-SEARCH.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[3] / "content" / "faq" / "decision-model.json"
# The lead over the second entry that bench/faq_calibrate.py writes as `min_lead`: closer than
# this, the question fits both (住民票 alone: which certificate, or where?), so ask which.
# A product rule, not fitted.
TIE = 0.01

FEATURES = (
    "score",           # blended score of the first entry (0..1)
    "margin2",         # lead over the second entry
    "margin3",         # lead over the third entry (one word that fits a whole family)
    "lexical",         # the first entry's word-match score
    "lexical_margin",  # its word-match lead over the best other entry
    "meaning",         # the first entry's word-vector cosine
    "meaning_margin",  # its cosine lead over the best other entry
    "agree",           # 1 when words and meaning both rank this entry first
    "known",           # share of the question's information the corpus knows at all
    "length",          # log(1 + number of content words)
    "place",           # names another municipality (as the place whose service is asked about)
    "office",          # names a national or prefectural office or procedure
    "business",        # names a kind of private business
)


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, value))))


@dataclass(frozen=True)
class Logistic:
    """One logistic model over standardised features."""

    weights: tuple[float, ...]
    bias: float

    def probability(self, standardised: np.ndarray) -> float:
        return sigmoid(float(np.dot(self.weights, standardised)) + self.bias)


@dataclass(frozen=True)
class DecisionModel:
    """Feature scaling, the two models and the two thresholds."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    right: Logistic
    inscope: Logistic
    answer_at: float
    suggest_at: float
    min_spread: float = 0.0  # never answer when the third entry is closer than this (one word, a family)
    min_lead: float = 0.0  # never answer when the second entry is closer than this (a tie)

    def standardise(self, features: dict[str, float]) -> np.ndarray:
        raw = np.array([features[name] for name in FEATURES], np.float64)
        return (raw - np.array(self.mean)) / np.array(self.scale)

    def probabilities(self, features: dict[str, float]) -> tuple[float, float]:
        """(first entry is right, question is answerable within the first three)."""
        standardised = self.standardise(features)
        return self.right.probability(standardised), self.inscope.probability(standardised)

    def to_json(self, **extra) -> dict:
        def rounded(values) -> list[float]:
            return [round(float(value), 6) for value in values]

        return {
            "features": list(FEATURES), "mean": rounded(self.mean), "scale": rounded(self.scale),
            "right": {"weights": rounded(self.right.weights), "bias": round(self.right.bias, 6)},
            "inscope": {"weights": rounded(self.inscope.weights), "bias": round(self.inscope.bias, 6)},
            "answer_at": self.answer_at, "suggest_at": self.suggest_at, "min_spread": self.min_spread,
            "min_lead": self.min_lead, **extra,
        }

    @classmethod
    def from_json(cls, data: dict) -> "DecisionModel":
        if tuple(data["features"]) != FEATURES:
            raise ValueError("decision model: its features differ from the engine's; re-run bench/faq_calibrate.py")
        return cls(
            tuple(data["mean"]), tuple(data["scale"]),
            Logistic(tuple(data["right"]["weights"]), data["right"]["bias"]),
            Logistic(tuple(data["inscope"]["weights"]), data["inscope"]["bias"]),
            data["answer_at"], data["suggest_at"], data.get("min_spread", 0.0), data.get("min_lead", 0.0),
        )

    def decide(self, features: dict[str, float], n_hits: int) -> tuple[str, float, float]:
        """('answer' | 'suggest' | 'none', P(first is right), P(answerable within three))."""
        right, inscope = self.probabilities(features)
        decision = choose(right, inscope, features["margin2"], features["margin3"], n_hits,
                          self.answer_at, self.suggest_at, self.min_spread, self.min_lead)
        return decision, right, inscope


def choose(right: float, inscope: float, margin2: float, margin3: float, n_hits: int, answer_at: float,
           suggest_at: float, min_spread: float, min_lead: float) -> str:
    """The rule from the probabilities: 'answer' | 'suggest' | 'none' (bench/faq_calibrate.py
    fits the thresholds with this same function)."""
    if not n_hits:
        return "none"
    if right >= answer_at and margin3 >= min_spread and margin2 >= min_lead:
        return "answer"
    return "suggest" if inscope >= suggest_at and n_hits > 1 else "none"


def load_model(path: Path = MODEL_PATH) -> DecisionModel:
    with open(path, encoding="utf-8") as handle:
        return DecisionModel.from_json(json.load(handle))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> Logistic:
    """L2-regularised logistic regression by Newton's method (x already standardised)."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -30, 30)))
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return Logistic(tuple(float(v) for v in w[:-1]), float(w[-1]))
