"""Item 13: the audit log speaks Japanese: what was done (「お知らせを作成」), the details' names
and values (「地域: 美東」), Japan time; a filter by kind of action in words that survives paging."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from bot import audit
from bot.models import AuditEntry
from bot.notices.drafting import NoticeDraft, create_notice


def test_entries_read_in_japanese_with_local_time(client, login_as, database, settings):
    login_as("admin")
    with database.transaction() as session:
        notice = create_notice(session, NoticeDraft(title="断水のお知らせ", body="本文", kind="weather",
                                                    areas=["mito"], send_at="2026-12-24T09:00"),
                               "tanaka", settings, datetime(2026, 12, 1, tzinfo=UTC))
        audit.record(session, "tanaka", "classes.export", target="3", people=12)
        audit.record(session, "tanaka", "faq.attach_question", target="FAQ-0001", phrasing="ごみの日")
    with database.transaction() as session:
        session.execute(update(AuditEntry).where(AuditEntry.action == "notice.create")
                        .values(at=datetime(2026, 12, 1, 0, 30, tzinfo=UTC)))
    page = client.get("/console/audit").get_data(as_text=True)
    for words in ("お知らせを作成", "地域: 美東", "種類: 気象・災害", "タイトル: 断水のお知らせ", "送信日時: 2026/12/24 09:00",
                  "2026/12/01 09:30:00", "名簿をダウンロード", "住民の質問をFAQに追加", "住民の言葉: ごみの日",
                  "状態: 予約済み"):
        assert words in page, words
    for code in ("classes.export", "faq.attach_question", "['mito']", "notice.create", "+00:00"):
        assert code not in page.split("<tbody>")[1], code
    assert notice.id


def test_the_filter_is_in_words_and_survives_paging(client, login_as, database):
    login_as("admin")
    with database.transaction() as session:
        for n in range(audit.PAGE_SIZE + 5):
            audit.record(session, "cli", "faq.verify", target=f"FAQ-{n:04d}")
        audit.record(session, "cli", "apitoken.issue", target="bosai")
    first = client.get("/console/audit").get_data(as_text=True)
    assert '<option value="faq.verify">　FAQの内容を確認済みに</option>' in first
    assert '<option value="apitoken.">APIトークン（すべて）</option>' in first
    filtered = client.get("/console/audit?action=faq.verify").get_data(as_text=True)
    assert f"{audit.PAGE_SIZE + 5}件" in filtered and "APIトークンを発行" not in filtered.split("<tbody>")[1]
    assert "action=faq.verify&amp;page=2" in filtered
    second = client.get("/console/audit?action=faq.verify&page=2").get_data(as_text=True)
    assert second.count("FAQの内容を確認済みに</td>") == 5
    assert '<option value="faq.verify" selected>' in second
    grouped = client.get("/console/audit?action=apitoken.").get_data(as_text=True)
    assert "1件" in grouped and "APIトークンを発行" in grouped
