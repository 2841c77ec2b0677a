"""The office console in Debian's Chromium: the dashboard's charts and tables from generated
data, paging and search on every list, a public notice page opened from the feed's link, a
recurring notice's coming occurrences (one skipped), and the roster printed to an A4 PDF."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from bench.dashboard_bench import fill_usage
from bot import notices
from bot.db import utcnow
from bot.models import FaqAsk, FaqEntryRecord
from tests.office.classes import class_with_people
from tests.support.notices import publish
from tests.support.recurring import register_weekly_rule

pytestmark = pytest.mark.browser
JST = ZoneInfo("Asia/Tokyo")
FIGURES = ["friends", "areas", "messages", "faq", "unanswered", "notices", "mail", "classes"]


def test_the_dashboard_shows_each_chart_and_its_table(page, console_server, staff_login):
    fill_usage(console_server.app.extensions["db"], friends=500, days=400, asks_per_day=5)
    staff_login(page, role="viewer")
    page.get_by_role("link", name="今年度").click()
    page.wait_for_url(re.compile(r"period=fy"))
    for key in FIGURES:
        figure = page.locator(f"#figure-{key}")
        assert figure.locator("svg.chart").first.is_visible(), key
        assert figure.locator("svg.chart").first.bounding_box()["height"] > 40, key
        figure.get_by_text("数値を表で見る").click()
        assert figure.locator(f"#table-{key} tbody tr").first.is_visible(), key
    rows = page.locator("#table-friends tbody tr")
    today = utcnow().astimezone(JST).date()
    months = (today.month - 4) % 12 + 1  # April (the fiscal year's start) to this month
    assert rows.count() == months and rows.first.locator("td").first.inner_text() == "4月"
    with page.expect_download() as download:
        page.locator("#figure-faq").get_by_role("link", name="CSVでダウンロード").click()
    assert download.value.suggested_filename.endswith(".csv")


def _seed_lists(app) -> None:
    database, settings, now = app.extensions["db"], app.extensions["settings"], utcnow()
    with database.transaction() as session:
        for n in range(55):
            notices.create_notice(session, notices.NoticeDraft(title=f"{'ごみ' if n % 5 == 0 else '行事'}のお知らせ {n:02d}",
                                                               body="本文"), "tanaka", settings, now)
        session.execute(insert(FaqEntryRecord), [
            {"id": f"FAQ-{n:04d}", "category": "くらし", "question": f"{'住民票' if n % 10 == 0 else '質問'} {n}",
             "answer": "回答", "department": "市民課", "url": "", "keywords": [], "alt_questions": [], "published": True,
             "sample": True, "revision": 1, "created_at": now, "updated_at": now} for n in range(1, 61)])
        session.execute(insert(FaqAsk), [
            {"asked_at": now - timedelta(minutes=n), "question": f"{'バス' if n % 7 == 0 else 'たずね'}ごと{n}",
             "normalised": f"q{n}", "decision": "none", "suggested_ids": [], "no_match": False, "reported": False,
             "needs_review": True} for n in range(45)])


def _page_then_search(page, url: str, word: str, table: str) -> None:
    page.goto(url)
    page.get_by_role("link", name="次のページ").click()
    page.wait_for_url(lambda url: "page=2" in url)  # the click starts a navigation; wait for it
    page.get_by_role("searchbox", name="ことばで探す").fill(word)
    page.get_by_role("button", name=re.compile("表示する|絞り込む")).click()
    page.wait_for_url(lambda url: "page=" not in url)
    page.wait_for_load_state()
    assert word in page.inner_text(table)


def test_every_list_pages_and_searches_keeping_its_filters(page, console_server, staff_login):
    _seed_lists(console_server.app)
    staff_login(page, role="viewer")
    base = console_server.url
    _page_then_search(page, f"{base}/console/notices?kind=info", "ごみ", "#notice-table")
    assert "kind=info" in page.url and page.locator("#notice-table tbody tr").count() == 11
    _page_then_search(page, f"{base}/console/faq?category=くらし", "住民票", "#faq-entries")
    assert page.locator("#faq-entries tbody tr").count() == 6
    _page_then_search(page, f"{base}/console/faq-questions", "バス", "main")
    assert page.locator(".question-card").count() == 7
    page.goto(f"{base}/console/notices?kind=info&sort=title")
    page.get_by_role("link", name="2ページ目").click()
    assert "sort=title" in page.url and "kind=info" in page.url
    assert "全55件中 51〜55件を表示" in page.inner_text(".pager-box")


def test_a_public_notice_page_opened_from_the_feed(page, console_server):
    app = console_server.app
    notice_id = publish(app.extensions["db"], app.extensions["settings"], "秋芳地区の断水",
                        "12月5日 9時から12時まで断水します。", areas=["shuho"])
    page.goto(f"{console_server.url}/feeds/notices.atom")
    feed = ElementTree.fromstring(page.context.request.get(f"{console_server.url}/feeds/notices.atom").body())
    atom = "{http://www.w3.org/2005/Atom}"
    link = feed.find(f"{atom}entry/{atom}link[@rel='alternate']").get("href")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(link.replace(app.extensions["settings"].public_base_url, console_server.url))
    assert page.locator("h1").inner_text() == "秋芳地区の断水"
    assert "秋芳" in page.inner_text(".meta") and "断水します" in page.inner_text(".body")
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="お知らせの一覧へ").click()
    assert page.get_by_role("link", name="秋芳地区の断水").is_visible()
    assert notice_id


def test_the_next_three_occurrences_appear_and_one_is_skipped(page, console_server, staff_login):
    staff_login(page, role="author")
    tomorrow = register_weekly_rule(page, console_server.url)
    rows = page.locator("#occurrences tbody tr")
    expected = [(tomorrow + timedelta(weeks=n)).isoformat() for n in range(3)]
    assert [rows.nth(n).get_attribute("data-occurrence") for n in range(3)] == expected
    assert page.locator(".calendar .occurrence").count() >= 3
    rows.nth(1).get_by_role("link", name=re.compile("休みにする")).click()
    page.get_by_role("button", name="この回を休みにする").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+$"))
    assert "休み" in rows.nth(1).inner_text() and "予約済み" in rows.nth(0).inner_text()
    assert "予約済み" in rows.nth(2).inner_text()


def test_a_roster_of_20_prints_on_one_a4_page(page, console_server, staff_login, tmp_path):
    class_id = class_with_people(console_server.app.extensions["db"], "LINEのはじめかた", 20, name="美祢 太郎")
    staff_login(page, role="viewer")
    page.goto(f"{console_server.url}/console/classes/{class_id}")
    page.get_by_role("link", name="名簿を印刷（A4）").click()
    page.emulate_media(media="print")
    assert not page.locator(".screen-only").first.is_visible()
    assert page.locator("#print-roster-table tbody tr").count() == 20
    pdf = page.pdf(prefer_css_page_size=True)
    (tmp_path / "roster.pdf").write_bytes(pdf)
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    boxes = {tuple(round(float(v)) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)}
    assert len(pages) == 1 and boxes == {(0, 0, 595, 842)}  # one A4 page (points)
