"""Evaluating FAQ search: the metrics as a pure function of outcomes, and running a query set
through an index (`python -m bot faq eval`, the benchmarks)."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.faq.engine.search import FaqIndex

METRIC_KEYS = (
    "n", "top1", "top3", "mrr", "direct_answer_rate", "oos_rejection",
    "false_answer_rate", "p50_ms", "p99_ms",
)


@dataclass(frozen=True)
class Outcome:
    """What the engine did with one evaluation query."""

    expected: str | None       # the right entry id, or None when out of corpus
    decision: str              # 'answer' | 'suggest' | 'none'
    ranked_ids: list[str]      # result ids, best first
    latency_ms: float = 0.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for an empty list)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def compute_metrics(outcomes: list[Outcome]) -> dict[str, float | int]:
    """Top-k accuracy, MRR, answer/rejection rates and latency percentiles."""
    in_corpus = [o for o in outcomes if o.expected is not None]
    out_corpus = [o for o in outcomes if o.expected is None]
    top1 = sum(1 for o in in_corpus if o.ranked_ids[:1] == [o.expected])
    top3 = sum(1 for o in in_corpus if o.expected in o.ranked_ids[:3])
    mrr = sum(
        1 / (o.ranked_ids.index(o.expected) + 1) for o in in_corpus if o.expected in o.ranked_ids
    )
    direct = sum(
        1 for o in in_corpus if o.decision == "answer" and o.ranked_ids[:1] == [o.expected]
    )
    rejected = sum(1 for o in out_corpus if o.decision == "none")
    false_answers = sum(
        1 for o in outcomes
        if o.decision == "answer" and (o.expected is None or o.ranked_ids[:1] != [o.expected])
    )
    latencies = [o.latency_ms for o in outcomes]
    return {
        "n": len(outcomes),
        "top1": round(_share(top1, len(in_corpus)), 4),
        "top3": round(_share(top3, len(in_corpus)), 4),
        "mrr": round(_share(mrr, len(in_corpus)), 4),
        "direct_answer_rate": round(_share(direct, len(in_corpus)), 4),
        "oos_rejection": round(_share(rejected, len(out_corpus)), 4),
        "false_answer_rate": round(_share(false_answers, len(outcomes)), 4),
        "p50_ms": round(percentile(latencies, 0.50), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
    }


def read_queries(path: Path) -> list[dict]:
    """Read a JSONL query set, skipping blank lines."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_index(index: FaqIndex, queries: list[dict]) -> dict[str, float | int]:
    """Run every query through the index and compute the evaluation metrics."""
    outcomes = []
    for item in queries:
        started = time.perf_counter()
        result = index.search(item["query"])
        elapsed_ms = (time.perf_counter() - started) * 1000
        outcomes.append(
            Outcome(
                expected=item.get("expected"),
                decision=str(result.decision),
                ranked_ids=[hit.entry_id for hit in result.hits],
                latency_ms=elapsed_ms,
            )
        )
    return compute_metrics(outcomes)
