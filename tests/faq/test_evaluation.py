"""The evaluation metrics, on hand-made outcomes."""

import pytest

from bot.faq.engine.evaluation import METRIC_KEYS, Outcome, compute_metrics, percentile


def outcome(expected, decision, ranked, latency=1.0):
    return Outcome(expected=expected, decision=decision, ranked_ids=ranked, latency_ms=latency)


def test_metrics_on_a_small_mixed_set():
    metrics = compute_metrics(
        [
            outcome("A", "answer", ["A", "B"], 1.0),          # right, answered
            outcome("B", "suggest", ["A", "B", "C"], 2.0),    # second, suggested
            outcome("C", "answer", ["A", "B", "D"], 3.0),     # missed, answered: false
            outcome(None, "none", ["A"], 4.0),                # rejected
            outcome(None, "answer", ["B"], 10.0),             # out of corpus, answered: false
        ]
    )
    assert set(metrics) == set(METRIC_KEYS)
    assert metrics["n"] == 5
    assert metrics["top1"] == pytest.approx(1 / 3, abs=1e-4)
    assert metrics["top3"] == pytest.approx(2 / 3, abs=1e-4)
    assert metrics["mrr"] == pytest.approx((1 + 0.5 + 0) / 3, abs=1e-4)
    assert metrics["direct_answer_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert metrics["oos_rejection"] == 0.5
    assert metrics["false_answer_rate"] == pytest.approx(2 / 5)
    assert metrics["p50_ms"] == 3.0
    assert metrics["p99_ms"] == 10.0


def test_suggesting_the_right_entry_is_not_a_direct_answer():
    metrics = compute_metrics([outcome("A", "suggest", ["A"])])
    assert metrics["top1"] == 1.0
    assert metrics["direct_answer_rate"] == 0.0
    assert metrics["false_answer_rate"] == 0.0


def test_empty_sets_give_zero_rates_not_errors():
    metrics = compute_metrics([])
    assert metrics["n"] == 0
    assert metrics["top1"] == 0.0
    assert metrics["oos_rejection"] == 0.0
    only_oos = compute_metrics([outcome(None, "none", [])])
    assert only_oos["oos_rejection"] == 1.0
    assert only_oos["top1"] == 0.0


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.5) == 0.0
