"""The console home: friend counts, by area, the newest friends, links to sections."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.db import utcnow
from bot.models import Friend, FriendStatus


def _add_friends(db_session) -> None:
    now = utcnow()
    rows = [
        ("U1", "美祢 花子", "mine", FriendStatus.FOLLOWING),
        ("U2", "秋芳 太郎", "shuho", FriendStatus.FOLLOWING),
        ("U3", "秋芳 次郎", "shuho", FriendStatus.FOLLOWING),
        ("U4", "未設定さん", None, FriendStatus.FOLLOWING),
        ("U5", "ブロックさん", "mito", FriendStatus.BLOCKED),
        ("U6", "<script>alert(1)</script>", None, FriendStatus.FOLLOWING),
    ]
    for n, (user_id, name, area, status) in enumerate(rows):
        db_session.add(Friend(line_user_id=user_id, display_name=name, area=area, status=status,
                              followed_at=now - timedelta(minutes=len(rows) - n)))
    db_session.commit()


def test_dashboard_counts_friends_by_status_and_area(client, login_as, db_session):
    login_as("viewer")
    _add_friends(db_session)
    page = client.get("/console").get_data(as_text=True)
    assert 'id="count-following">5<' in page and 'id="count-blocked">1<' in page
    areas = page[page.index('id="table-areas"'):]
    for label, count in [("美祢", 1), ("美東", 0), ("秋芳", 2), ("未設定", 2)]:  # the areas chart's table
        assert f"<tr><td>{label}</td><td class=\"num\">{count}</td>" in areas


def test_recent_friends_are_listed_newest_first_as_plain_text(client, login_as, db_session):
    login_as("viewer")
    _add_friends(db_session)
    page = client.get("/console").get_data(as_text=True)
    assert "最近の友だち" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.index("&lt;script&gt;") < page.index("ブロックさん") < page.index("美祢 花子")


def test_an_empty_dashboard_says_so(client, login_as):
    login_as("admin")
    page = client.get("/console").get_data(as_text=True)
    assert "まだ友だちはいません" in page and 'id="count-following">0<' in page
    assert 'href="/console/staff"' in page  # the section links


def test_everything_comes_from_the_app_itself(client, login_as):
    """Staff terminals may have no internet: no CDN, no web fonts."""
    for asset in ["console.css", "console.js", "office.css"]:
        response = client.get(f"/console/static/{asset}")  # no login needed
        assert response.status_code == 200
        assert not re.search(r"@import|url\(|@font-face|https?://", response.get_data(as_text=True))
    login_as("admin")
    for path in ["/console", "/console/staff", "/console/tokens", "/console/audit"]:
        assert not re.search(r'(src|href|action)="(https?:)?//', client.get(path).get_data(as_text=True)), path
