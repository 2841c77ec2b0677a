"""`python -m bot faq import|export|unanswered`, and search/eval reading the database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select

from bot.faq import entries as faq_entries
from bot.faq import questions as faq_questions
from bot.config import PROJECT_ROOT
from bot.db import Database
from bot.faq.engine.search import Decision, Hit, SearchResult
from bot.faq.entries import EntryDraft
from bot.models import AuditEntry, FaqEntryRecord
from tests.faq_content.conftest import SEED


@pytest.fixture
def cli(clean_database, monkeypatch, capsys):
    """cli(*args) -> (exit code, stdout, stderr) of `bot.cli.main(args)` on this test's database."""
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", clean_database)

    def run(*args: str) -> tuple[int, str, str]:
        from bot.cli import main

        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    run.database_url = clean_database
    return run


def change(database_url: str, work) -> None:
    database = Database(database_url)
    try:
        with database.transaction() as session:
            work(session)
    finally:
        database.dispose()


def test_import_is_an_upsert_by_id_that_reports_its_counts(cli, db_session):
    code, out, _ = cli("faq", "import", str(SEED))
    assert code == 0 and "130 added, 0 updated, 0 unchanged" in out
    assert cli("faq", "import", str(SEED))[1].strip().endswith("0 added, 0 updated, 130 unchanged")

    def edit(session):
        record = session.get(FaqEntryRecord, "FAQ-0003")
        draft = EntryDraft.of(record)
        draft.department = "総務課"
        faq_entries.update_entry(session, record, draft)

    change(cli.database_url, edit)
    assert "0 added, 0 updated, 0 unchanged, 130 existing kept" in cli("faq", "import", str(SEED), "--only-new")[1]
    db_session.rollback()
    assert db_session.get(FaqEntryRecord, "FAQ-0003").department == "総務課"  # the demo keeps staff's edits
    code, out, _ = cli("faq", "import", str(SEED))
    assert "0 added, 1 updated, 129 unchanged" in out and "updated: FAQ-0003" in out
    db_session.rollback()
    stored = db_session.get(FaqEntryRecord, "FAQ-0003")
    assert stored.department == "市民課" and stored.sample and stored.verified_on is None
    audits = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "faq.import")).all()
    assert len(audits) == 4 and audits[0].actor == "cli" and audits[0].details["added"] == 130


def test_a_file_with_errors_imports_nothing(cli, tmp_path, db_session):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,category,question,answer,department,url,keywords\nFAQ-0001,税金,,答え,税務課,,\n", encoding="utf-8")
    code, _, err = cli("faq", "import", str(bad))
    assert code == 1 and "nothing imported" in err and "2行目" in err
    assert db_session.scalars(select(FaqEntryRecord)).all() == []
    assert cli("faq", "import", str(tmp_path / "missing.csv"))[0] == 1


def test_export_writes_open_data_that_imports_back_unchanged(cli, tmp_path):
    cli("faq", "import", str(SEED))
    change(cli.database_url,
           lambda s: faq_entries.mark_verified(s, s.get(FaqEntryRecord, "FAQ-0002"), "yamada", date(2026, 4, 1)))
    out_file = tmp_path / "faq-open-data.csv"
    code, out, _ = cli("faq", "export", str(out_file))
    assert code == 0 and "130 entries written" in out
    data = out_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("地方公共団体コード,地方公共団体名,ID,分類,質問,回答,担当課,参照URL,更新日,確認日")
    assert lines[1].startswith("352136,美祢市,FAQ-0001,戸籍・住民票,")
    assert ",2026-04-01," in lines[2]
    assert cli("faq", "import", str(out_file))[1].strip().endswith("0 added, 0 updated, 130 unchanged")


def test_export_all_includes_unpublished_entries(cli, tmp_path):
    cli("faq", "import", str(SEED))

    def unpublish(session):
        record = session.get(FaqEntryRecord, "FAQ-0130")
        draft = EntryDraft.of(record)
        draft.published = False
        faq_entries.update_entry(session, record, draft)

    change(cli.database_url, unpublish)
    cli("faq", "export", str(tmp_path / "public.csv"))
    cli("faq", "export", str(tmp_path / "all.csv"), "--all")
    assert "FAQ-0130" not in (tmp_path / "public.csv").read_text(encoding="utf-8-sig")
    everything = (tmp_path / "all.csv").read_text(encoding="utf-8-sig")
    assert everything.splitlines()[0].endswith(",公開") and "非公開" in everything


def test_search_reads_the_database_unless_a_corpus_is_given(cli):
    code, _, err = cli("faq", "search", "粗大ごみの出し方")
    assert code == 1 and "faq import" in err  # nothing imported yet
    cli("faq", "import", str(SEED))
    change(cli.database_url, lambda s: faq_entries.add_phrasing(s, s.get(FaqEntryRecord, "FAQ-0100"), "ほんをかりたいです"))
    code, out, _ = cli("faq", "search", "ほんをかりたいです", "--json")
    assert code == 0 and json.loads(out)["results"][0]["id"] == "FAQ-0100"
    assert json.loads(cli("faq", "search", "粗大ごみの出し方", "--json", "--corpus", str(SEED))[1])["decision"] == "answer"


def test_unanswered_lists_grouped_questions_as_text_and_json(cli):
    assert cli("faq", "unanswered")[1].strip() == "no questions waiting for staff"
    cli("faq", "import", str(SEED))

    def asks(session):
        for text in ("ピザの注文をしたい", "ピザの注文をしたい。", "墓地を買いたい"):
            faq_questions.record_ask(session, text, SearchResult(Decision.NONE, []))
        answered = faq_questions.record_ask(session, "粗大ごみ", SearchResult(Decision.ANSWER, [Hit("FAQ-0067", 0.7)]))
        faq_questions.give_feedback(session, answered, "FAQ-0067", resolved=False)

    change(cli.database_url, asks)
    code, out, _ = cli("faq", "unanswered")
    lines = out.splitlines()
    assert code == 0 and "ピザの注文をしたい" in lines[1] and lines[1].split()[0] == "2"
    assert any("粗大ごみ" in line and "FAQ-0067" in line for line in lines)
    payload = json.loads(cli("faq", "unanswered", "--json")[1])["questions"]
    first = payload[0]
    assert (first["count"], first["unanswered"], first["normalised"]) == (2, 2, "ぴざの注文をしたい")
    bad = next(q for q in payload if q["question"] == "粗大ごみ")
    assert (bad["unresolved"], bad["unhelpful_entries"]) == (1, ["FAQ-0067"])


def test_the_commands_run_as_real_processes(clean_database, tmp_path):
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": clean_database}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "faq", *args], capture_output=True, text=True,
                              cwd=PROJECT_ROOT, env=env, timeout=120)

    assert "130 added" in run("import", "content/faq/mine-faq.csv").stdout
    assert run("export", str(tmp_path / "x.csv")).returncode == 0
    assert json.loads(run("search", "こくほやめたい", "--json").stdout)["results"][0]["id"] == "FAQ-0038"
