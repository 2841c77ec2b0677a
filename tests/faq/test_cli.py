"""`python -m bot faq search|eval`: output formats, on a CSV corpus (no database) or on the
entries a pluggable loader gives."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bot.cli import main
from bot.faq import cli
from bot.faq.engine.evaluation import METRIC_KEYS
from tests.faq.conftest import SEED, make_entry

ROOT = Path(__file__).resolve().parents[2]


def test_search_json_shape(capsys):
    assert main(["faq", "search", "粗大ごみの出し方", "--corpus", str(SEED), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"decision", "results"}
    assert payload["decision"] in {"answer", "suggest", "none"}
    assert payload["results"][0] == {"id": "FAQ-0067", "score": payload["results"][0]["score"]}
    assert len(payload["results"]) <= 5


def test_search_readable_output(capsys):
    main(["faq", "search", "粗大ごみの出し方", "--corpus", str(SEED)])
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
    assert main(["faq", "eval", str(queries), "--corpus", str(SEED), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert list(metrics) == list(METRIC_KEYS)
    assert metrics["n"] == 2
    assert metrics["top1"] == 1.0
    assert metrics["oos_rejection"] == 1.0


def test_loader_is_pluggable(capsys):
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest="command", required=True)
    cli.add_commands(subparsers, load_entries=lambda: [make_entry("X-1", "図書館で本を借りたい", ["図書館"])])
    args = parser.parse_args(["faq", "search", "としょかん", "--json"])
    args.run(args)
    assert json.loads(capsys.readouterr().out)["results"][0]["id"] == "X-1"


def test_search_runs_as_a_command_without_a_database(tmp_path):
    environment = {"PATH": "/usr/bin:/bin", "APP_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "faq", "search", "こくほやめたい", "--corpus", "content/faq/mine-faq.csv", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True, env=environment,
    )
    assert json.loads(completed.stdout)["results"][0]["id"] == "FAQ-0038"
    assert not (tmp_path / "none.db").exists()


def test_one_faq_command_has_every_subcommand(capsys):
    try:
        main(["faq", "--help"])
    except SystemExit:
        pass
    usage = capsys.readouterr().out
    assert "{search,eval,import,export,unanswered}" in usage
