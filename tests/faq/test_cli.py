"""The `faq` command line: output formats of search and eval."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bot.faq.engine import cli
from bot.faq.engine.evaluation import METRIC_KEYS
from tests.faq.conftest import SEED, make_entry

ROOT = Path(__file__).resolve().parents[2]


def test_search_json_shape(capsys):
    assert cli.main(["faq", "search", "粗大ごみの出し方", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"decision", "results"}
    assert payload["decision"] in {"answer", "suggest", "none"}
    assert payload["results"][0] == {"id": "FAQ-0067", "score": payload["results"][0]["score"]}
    assert len(payload["results"]) <= 5


def test_search_readable_output(capsys):
    cli.main(["faq", "search", "粗大ごみの出し方"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("decision: ")
    assert "FAQ-0067" in out[1]


def test_eval_json_has_exactly_the_metric_keys(tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    lines = [
        {"query": "粗大ごみの出し方", "expected": "FAQ-0067"},
        {"query": "ピザの注文をしたい", "expected": None},
    ]
    queries.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    assert cli.main(["faq", "eval", str(queries), "--corpus", str(SEED), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert list(metrics) == list(METRIC_KEYS)
    assert metrics["n"] == 2
    assert metrics["top1"] == 1.0
    assert metrics["oos_rejection"] == 1.0


def test_loader_is_pluggable(capsys):
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest="command", required=True)
    cli.add_faq_commands(subparsers, load_entries=lambda: [make_entry("X-1", "図書館で本を借りたい", ["図書館"])])
    args = parser.parse_args(["faq", "search", "としょかん", "--json"])
    args.run(args)
    assert json.loads(capsys.readouterr().out)["results"][0]["id"] == "X-1"


def test_module_runs_as_a_script():
    completed = subprocess.run(
        [sys.executable, "-m", "bot.faq.engine.cli", "faq", "search", "こくほやめたい", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    assert json.loads(completed.stdout)["results"][0]["id"] == "FAQ-0038"


def test_more_faq_subcommands_can_be_added():
    parser = argparse.ArgumentParser()
    faq = cli.add_faq_commands(parser.add_subparsers(dest="command", required=True))
    faq.add_parser("export").set_defaults(run=lambda args: 7)
    args = parser.parse_args(["faq", "export"])
    assert args.run(args) == 7
