"""Learn the FAQ decision (content/faq/decision-model.json) and check it leave-one-style-out.

    .venv/bin/python bench/faq_calibrate.py [--write] [--json]

Every query of the dev set, the probes and the frozen held-out sets is searched once; its
features (bot.faq.engine.decision.FEATURES) and two labels are kept: the first entry is right;
the query is answerable and its entry is among the first three. Each style (file) is then held
out in turn: both logistic models and the thresholds are fitted on the other styles only, and
the held-out style is decided with them. The table shows those leave-one-style-out numbers,
which is how the decision does on a style it never saw. `--write` fits on everything and
writes the model file.

Thresholds maximise a utility per query: a right answer +1, a wrong answer -4 (a wrong
confident answer costs more than a 「もしかして」), a suggestion holding the entry +0.4, a
useless suggestion -0.6, an honest "no answer" to an out-of-corpus question +1, "no answer"
to a question the corpus answers -0.3.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.faq.engine.corpus import load_csv_entries  # noqa: E402
from bot.faq.engine.decision import (  # noqa: E402
    FEATURES, MODEL_PATH, TIE, DecisionModel, Logistic, choose, fit_logistic,
)
from bot.faq.engine.evaluation import Outcome, compute_metrics, read_queries  # noqa: E402
from bot.faq.engine.search import FaqIndex, SearchParams  # noqa: E402

DATA = ROOT / "bench" / "data" / "faq"
CORPUS = ROOT / "content" / "faq" / "mine-faq.csv"
UTILITY = {"right": 1.0, "wrong": -4.0, "suggest_hit": 0.4, "suggest_miss": -0.6, "reject_oos": 1.0,
           "reject_answerable": -0.3}
L2 = 1.0
GRID = [round(x, 3) for x in np.arange(0.30, 0.96, 0.025)]
SPREADS = (0.03,)  # a product rule (one word, a family: ask which), not tuned
MARGIN2, MARGIN3 = FEATURES.index("margin2"), FEATURES.index("margin3")


def query_sets() -> dict[str, Path]:
    """Style name -> query file: the dev set, the probes and the frozen held-out sets."""
    sets = {"dev": DATA / "dev-queries.jsonl"}
    sets |= {path.stem.split("-")[0]: path for path in sorted((DATA / "probes").glob("*.jsonl"))}
    sets |= {path.stem: path for path in sorted((DATA / "heldout").glob("*.jsonl"))}
    return sets


NEUTRAL = DecisionModel(tuple([0.0] * len(FEATURES)), tuple([1.0] * len(FEATURES)),
                        Logistic(tuple([0.0] * len(FEATURES)), 0.0), Logistic(tuple([0.0] * len(FEATURES)), 0.0),
                        2.0, 2.0)


def collect(index: FaqIndex, sets: dict[str, Path]) -> list[dict]:
    rows = []
    for style, path in sets.items():
        for item in read_queries(path):
            ranking = index.rank(item["query"])
            ranked = [index.entries[doc].id for doc in ranking.order]
            expected = item.get("expected")
            rows.append({
                "style": style, "expected": expected, "ranked": ranked,
                "x": [ranking.features[name] for name in FEATURES],
                "right": float(bool(ranked) and ranked[0] == expected),
                "inscope": float(expected is not None and expected in ranked[:3]),
            })
    return rows


def decide(row: dict, p_right: float, p_in: float, answer_at: float, suggest_at: float, spread: float) -> str:
    """DecisionModel's rule (`choose`) on precomputed probabilities."""
    return choose(p_right, p_in, row["x"][MARGIN2], row["x"][MARGIN3], len(row["ranked"]), answer_at, suggest_at,
                  spread, TIE)


def utility(row: dict, decision: str) -> float:
    if decision == "answer":
        return UTILITY["right"] if row["right"] else UTILITY["wrong"]
    if decision == "suggest":
        return UTILITY["suggest_hit"] if row["inscope"] else UTILITY["suggest_miss"]
    return UTILITY["reject_oos"] if row["expected"] is None else UTILITY["reject_answerable"]


def fit(rows: list[dict]) -> DecisionModel:
    """Both models and the thresholds that maximise the utility on `rows`."""
    x = np.array([row["x"] for row in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    right = fit_logistic(z, np.array([row["right"] for row in rows]), L2)
    inscope = fit_logistic(z, np.array([row["inscope"] for row in rows]), L2)
    p_right = [right.probability(v) for v in z]
    p_in = [inscope.probability(v) for v in z]
    best = None
    for spread in SPREADS:
        for answer_at in GRID:
            for suggest_at in GRID:
                total = sum(utility(row, decide(row, a, b, answer_at, suggest_at, spread))
                            for row, a, b in zip(rows, p_right, p_in))
                if best is None or total > best[0]:
                    best = (total, answer_at, suggest_at, spread)
    return DecisionModel(tuple(mean), tuple(scale), right, inscope, best[1], best[2], best[3], TIE)


def outcomes(model: DecisionModel, rows: list[dict]) -> list[Outcome]:
    result = []
    for row in rows:
        z = (np.array(row["x"]) - np.array(model.mean)) / np.array(model.scale)
        decision = decide(row, model.right.probability(z), model.inscope.probability(z),
                          model.answer_at, model.suggest_at, model.min_spread)
        result.append(Outcome(row["expected"], decision, row["ranked"]))
    return result


def leave_one_style_out(rows: list[dict]) -> dict[str, dict]:
    """Per style: decided by a model fitted on the other styles. 'heldout (pooled)' joins the
    frozen held-out styles (every file of bench/data/faq/heldout/), each decided by its own
    leave-one-out model."""
    report, pooled = {}, []
    for style in dict.fromkeys(row["style"] for row in rows):
        model = fit([row for row in rows if row["style"] != style])
        held = outcomes(model, [row for row in rows if row["style"] == style])
        if style not in ("dev", "probe1", "probe2", "probe3"):
            pooled += held
        report[style] = compute_metrics(held) | {
            "answer_at": model.answer_at, "suggest_at": model.suggest_at, "min_spread": model.min_spread}
    report["heldout (pooled)"] = compute_metrics(pooled) | {"answer_at": "-", "suggest_at": "-", "min_spread": "-"}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"fit on every set and write {MODEL_PATH.name}")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--wrong", type=float, default=UTILITY["wrong"], help="utility of a wrong answer (default -4)")
    args = parser.parse_args(argv)
    UTILITY["wrong"] = args.wrong
    index = FaqIndex.build(load_csv_entries(CORPUS), model=NEUTRAL, params=SearchParams())
    rows = collect(index, query_sets())
    report = leave_one_style_out(rows)
    if args.json:
        print(json.dumps(report))
    else:
        keys = ("n", "top1", "top3", "direct_answer_rate", "oos_rejection", "false_answer_rate")
        print(f"{'style (held out)':<18}" + "".join(f"{key[:10]:>11}" for key in keys) + "  thresholds")
        for style, metrics in report.items():
            print(f"{style:<18}" + "".join(f"{metrics[key]:>11}" for key in keys)
                  + f"  {metrics['answer_at']}/{metrics['suggest_at']}/{metrics['min_spread']}")
    if args.write:
        model = fit(rows)
        data = model.to_json(trained_on=sorted(dict.fromkeys(row["style"] for row in rows)), queries=len(rows),
                             l2=L2, utility=UTILITY)
        MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)} (answer at {model.answer_at}, suggest at {model.suggest_at})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
