"""The audit log: `audit.record` and the admins' page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import audit
from bot.db import utcnow


def test_record_refuses_details_that_look_like_secrets(db_session):
    for key in ["password", "new_password", "token", "api_token", "secret", "Authorization"]:
        with pytest.raises(ValueError, match="secrets"):
            audit.record(db_session, "cli", "staff.create", "x", **{key: "value"})
    entry = audit.record(db_session, "api:bousai", "notice.create", 42, token_name="bousai", areas=["mine"])
    db_session.commit()
    assert (entry.actor, entry.target, entry.details) == ("api:bousai", "42", {"token_name": "bousai", "areas": ["mine"]})


def _fill(db_session, count: int) -> None:
    start = utcnow() - timedelta(hours=1)
    for n in range(count):
        entry = audit.record(db_session, "sato" if n % 2 else "cli", "staff.login" if n % 3 else "notice.publish",
                             target=f"t{n}")
        entry.at = start + timedelta(seconds=n)
    db_session.commit()


def test_search_pages_newest_first_and_filters(db_session):
    _fill(db_session, 120)
    first = audit.search(db_session)
    assert (first.total, first.pages, len(first.entries)) == (120, 3, 50)
    assert [e.target for e in first.entries[:2]] == ["t119", "t118"]
    last = audit.search(db_session, page=99)
    assert last.page == 3 and len(last.entries) == 20 and last.entries[-1].target == "t0"
    assert audit.search(db_session, actor="sato").total == 60
    assert audit.search(db_session, action="notice.").total == 40
    assert audit.search(db_session, actor="cli", action="staff.").total == 40
    assert audit.search(db_session, action="%").total == 0  # not a wildcard


def test_the_audit_page_shows_entries_with_paging_and_filters(client, login_as, db_session):
    login_as("admin")
    _fill(db_session, 120)
    page = client.get("/console/audit").get_data(as_text=True)
    assert "操作履歴" in page and "1 / 3ページ" in page and "t119" in page and "t60" not in page
    assert "古い履歴" in page and "新しい履歴" not in page
    page = client.get("/console/audit?page=3").get_data(as_text=True)
    assert "t0<" in page and "新しい履歴" in page
    page = client.get("/console/audit?actor=sato&action=notice.").get_data(as_text=True)
    assert "20件" in page and "<td>cli</td>" not in page
    page = client.get("/console/audit?page=abc").get_data(as_text=True)
    assert "t119" in page


def test_audit_details_are_shown_as_text(client, login_as, db_session):
    login_as("admin")
    audit.record(db_session, "cli", "notice.create", "<i>x</i>", title="<script>alert(1)</script>")
    db_session.commit()
    page = client.get("/console/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
