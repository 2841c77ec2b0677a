"""FAQ search benchmark: accuracy on the dev set and the held-out styles, speed at 130 and
5,000 entries, memory.

    .venv/bin/python bench/faq_bench.py [--queries FILE] [--size 5000] [--json] [--no-worker]

Runs, in one process so that the numbers are comparable on a busy machine:
1. a baseline (plain character n-gram TF-IDF over the questions, cosine) on the dev set;
2. the FAQ index on the dev set (all queries, and each half: even and odd lines) and on each
   frozen held-out style (bench/data/faq/heldout/), pooled too. The decision model shipped in
   content/faq/ was fitted on all sets, so these decision numbers are in-sample; the honest
   ones are leave-one-style-out, from bench/faq_calibrate.py (printed here too);
3. the FAQ index on a synthetic corpus of real + `size` recombined entries: build
   time, search latency (wall clock and CPU), and the resident memory (VmRSS);
4. in a fresh process, the web application (`bot.create_app()`) with the 130-entry index
   built and searched once: a web worker's memory with everything loaded.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.faq_synthetic import synthetic_entries  # noqa: E402
from bot.faq.engine.analyzer import get_analyzer  # noqa: E402
from bot.faq.engine.corpus import FaqEntry, load_csv_entries  # noqa: E402
from bot.faq.engine.evaluation import Outcome, compute_metrics, percentile  # noqa: E402
from bot.faq.engine.search import FaqIndex  # noqa: E402

CORPUS = ROOT / "content" / "faq" / "mine-faq.csv"
DEV_QUERIES = ROOT / "bench" / "data" / "faq" / "dev-queries.jsonl"  # see bench/data/faq/README.md
BASELINE_ANSWER_COSINE = 0.3  # the baseline answers above this cosine, else says none


def rss_mib(field: str = "VmRSS") -> float:
    """Resident memory of this process (VmRSS; or RssAnon / RssFile), in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def rss_parts() -> str:
    """VmRSS, and how much of it is private memory vs shared, file-backed pages."""
    return f"{rss_mib()} (anon {rss_mib('RssAnon')} + file {rss_mib('RssFile')})"


class BaselineIndex:
    """Character 2- and 3-gram TF-IDF over the questions only, ranked by cosine."""

    def __init__(self, entries: list[FaqEntry]) -> None:
        self.ids = [entry.id for entry in entries]
        docs = [self.grams(entry.question) for entry in entries]
        df = Counter(gram for doc in docs for gram in doc)
        self.idf = {gram: math.log(len(docs) / count) + 1 for gram, count in df.items()}
        self.vectors = [self.vector(doc) for doc in docs]

    @staticmethod
    def grams(text: str) -> Counter:
        text = unicodedata.normalize("NFKC", text).lower()
        return Counter(text[i : i + n] for n in (2, 3) for i in range(len(text) - n + 1))

    def vector(self, grams: Counter) -> dict[str, float]:
        weights = {g: c * self.idf.get(g, 0.0) for g, c in grams.items() if g in self.idf}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    def search(self, query: str) -> tuple[str, list[tuple[str, float]]]:
        query_vector = self.vector(self.grams(query))
        scores = [
            (sum(w * doc.get(g, 0.0) for g, w in query_vector.items()), entry_id)
            for entry_id, doc in zip(self.ids, self.vectors)
        ]
        ranked = sorted(scores, reverse=True)[:5]
        decision = "answer" if ranked and ranked[0][0] >= BASELINE_ANSWER_COSINE else "none"
        return decision, [(entry_id, score) for score, entry_id in ranked]


def timed_outcomes(search, queries: list[dict], repeat: int = 1) -> tuple[list[Outcome], list[float]]:
    """Run the queries `repeat` times; the outcomes (with wall ms) and CPU ms of every run."""
    outcomes, cpu_ms = [], []
    for round_number in range(repeat):
        for item in queries:
            wall, cpu = time.perf_counter(), time.thread_time()
            decision, ranked = search(item["query"])
            wall_ms = (time.perf_counter() - wall) * 1000
            cpu_ms.append((time.thread_time() - cpu) * 1000)
            outcomes.append(Outcome(item.get("expected"), decision, ranked, wall_ms))
    return outcomes, cpu_ms


def index_search(index: FaqIndex):
    def search(query: str):
        result = index.search(query)
        return str(result.decision), [hit.entry_id for hit in result.hits]

    return search


def baseline_search(index: BaselineIndex):
    def search(query: str):
        decision, ranked = index.search(query)
        return decision, [entry_id for entry_id, _ in ranked]

    return search


HELDOUT = ROOT / "bench" / "data" / "faq" / "heldout"
WORKER_SCRIPT = """
import os, sys, tempfile
sys.path.insert(0, {root!r})
os.environ.setdefault("DATABASE_URL", "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.db"))
from bot import create_app
from bot.faq.engine.corpus import load_csv_entries
from bot.faq.engine.search import FaqIndex
app = create_app()
index = FaqIndex.build(load_csv_entries({corpus!r}))
index.search("住民票の写しをとりたい")
fields = dict(line.split(":", 1) for line in open("/proc/self/status") if line.startswith(("VmRSS", "RssAnon", "RssFile")))
print(" ".join(str(round(int(fields[k].split()[0]) / 1024, 1)) for k in ("VmRSS", "RssAnon", "RssFile")))
"""


def worker_rss() -> str:
    """VmRSS of a fresh process running the web application with the FAQ index loaded."""
    import subprocess

    script = WORKER_SCRIPT.format(root=str(ROOT), corpus=str(CORPUS))
    env = {key: value for key, value in __import__("os").environ.items()}
    env.setdefault("APP_ENV", "development")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    if done.returncode:
        return "failed: " + done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
    total, anon, file_backed = done.stdout.split()
    return f"{total} (anon {anon} + file {file_backed})"


def heldout_report(index: FaqIndex) -> dict:
    """Metrics of the shipped engine on each held-out style, and on all of them pooled."""
    report, pooled = {}, []
    for path in sorted(HELDOUT.glob("*.jsonl")):
        queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        outcomes, _ = timed_outcomes(index_search(index), queries)
        report[path.stem] = compute_metrics(outcomes)
        pooled += outcomes
    report["pooled"] = compute_metrics(pooled)
    return report


def run(queries_path: Path, size: int, worker: bool = True) -> dict:
    queries = [json.loads(line) for line in queries_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    real = load_csv_entries(CORPUS)
    report: dict = {"rss_start_mib": rss_parts()}

    baseline = BaselineIndex(real)
    outcomes, cpu = timed_outcomes(baseline_search(baseline), queries)
    report["baseline"] = compute_metrics(outcomes) | {"cpu_p99_ms": round(percentile(cpu, 0.99), 3)}

    started = time.perf_counter()
    get_analyzer().analyze("準備")
    report["analyzer_load_s"] = round(time.perf_counter() - started, 3)
    started, cpu_started = time.perf_counter(), time.process_time()
    index = FaqIndex.build(real)
    report["build_130_s"] = round(time.perf_counter() - started, 3)
    report["build_130_cpu_s"] = round(time.process_time() - cpu_started, 3)
    outcomes, cpu = timed_outcomes(index_search(index), queries, repeat=3)
    first = outcomes[: len(queries)]
    report["faq"] = compute_metrics(outcomes) | {
        key: value for key, value in compute_metrics(first).items() if key not in ("p50_ms", "p99_ms")
    } | {"cpu_p99_ms": round(percentile(cpu, 0.99), 3)}
    report["faq_even"] = compute_metrics(first[0::2])
    report["faq_odd"] = compute_metrics(first[1::2])
    report["heldout"] = heldout_report(index)
    report["rss_130_mib"] = rss_parts()

    big = real + synthetic_entries(real, size)
    started, cpu_started = time.perf_counter(), time.process_time()
    big_index = FaqIndex.build(big)
    report["size"] = len(big)
    report["build_big_s"] = round(time.perf_counter() - started, 3)
    report["build_big_cpu_s"] = round(time.process_time() - cpu_started, 3)
    outcomes, cpu = timed_outcomes(index_search(big_index), queries, repeat=3)
    wall = [outcome.latency_ms for outcome in outcomes]
    report["big_p50_ms"] = round(percentile(wall, 0.5), 3)
    report["big_p99_ms"] = round(percentile(wall, 0.99), 3)
    report["big_cpu_p99_ms"] = round(percentile(cpu, 0.99), 3)
    report["rss_big_mib"] = rss_parts()
    if worker:
        report["worker_rss_mib"] = worker_rss()
    return report


def print_table(report: dict) -> None:
    rows = [("", "baseline", "faq", "faq even", "faq odd")]
    for key in ("top1", "top3", "mrr", "direct_answer_rate", "oos_rejection", "false_answer_rate",
                "p50_ms", "p99_ms", "cpu_p99_ms"):
        rows.append((key, *(str(report[part].get(key, "")) for part in ("baseline", "faq", "faq_even", "faq_odd"))))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    print(f"Dev set ({report['faq']['n']} queries; baseline answers when cosine >= {BASELINE_ANSWER_COSINE})")
    for row in rows:
        print("  " + "  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
    print()
    print("Held-out styles (decision model in-sample; leave-one-style-out: bench/faq_calibrate.py)")
    keys = ("n", "top1", "top3", "direct_answer_rate", "oos_rejection", "false_answer_rate")
    print("  " + f"{'':<10}" + "".join(f"{key[:10]:>11}" for key in keys))
    for style, metrics in report["heldout"].items():
        print("  " + f"{style:<10}" + "".join(f"{metrics[key]:>11}" for key in keys))
    print()
    print("Speed and memory")
    lines = [
        ("analyser load (s)", report["analyzer_load_s"]),
        ("build, 130 entries (s wall / cpu)", f"{report['build_130_s']} / {report['build_130_cpu_s']}"),
        (f"build, {report['size']} entries (s wall / cpu)", f"{report['build_big_s']} / {report['build_big_cpu_s']}"),
        (f"search, {report['size']} entries p50 / p99 (ms wall)", f"{report['big_p50_ms']} / {report['big_p99_ms']}"),
        (f"search, {report['size']} entries p99 (ms cpu)", report["big_cpu_p99_ms"]),
        ("RSS at start (MiB)", report["rss_start_mib"]),
        ("RSS, 130-entry index loaded (MiB)", report["rss_130_mib"]),
        (f"RSS, {report['size']}-entry index loaded too (MiB)", report["rss_big_mib"]),
        ("web worker RSS: create_app() + 130-entry index (MiB)", report.get("worker_rss_mib", "not run")),
    ]
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"  {label.ljust(width)}  {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, default=DEV_QUERIES, help="JSONL query set (default: the dev set)")
    parser.add_argument("--size", type=int, default=5000, help="synthetic entries added to the real ones")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--no-worker", action="store_true", help="skip the web worker's memory")
    args = parser.parse_args(argv)
    if not args.queries.exists():
        print(f"faq_bench: no query set at {args.queries}; pass --queries", file=sys.stderr)
        return 0
    report = run(args.queries, args.size, worker=not args.no_worker)
    if args.json:
        print(json.dumps(report))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
