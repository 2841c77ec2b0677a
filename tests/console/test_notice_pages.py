"""お知らせ in the console through the Flask client, on SQLite and PostgreSQL, with the LINE
emulator answering the quota and the deliveries: permissions, validation messages, the preview,
approval by a second person, editing, cancelling, withdrawing, resuming, and the progress JSON."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.notices import delivery
from bot import notices
from bot.db import utcnow
from bot.models import AuditEntry, Notice, NoticeStatus
from tests.support.notices import add_friends, bulk_users
from tests.support.console import csrf_for, post_form

JST = ZoneInfo("Asia/Tokyo")
NEW = "/console/notices/new"


def tomorrow_at(hour: int = 9) -> tuple[str, str]:
    day = (utcnow().astimezone(JST) + timedelta(days=1)).date()
    return day.isoformat(), f"{hour:02d}:00"


def form(**fields) -> dict[str, object]:
    """A compose form as the browser sends it (scheduled for tomorrow unless told otherwise)."""
    day, clock = tomorrow_at()
    data: dict[str, object] = {"kind": "info", "title": "図書館の臨時休館", "body": "12月1日は休館します。",
                               "link": "", "image": "", "target": "all", "timing": "later", "day": day, "clock": clock}
    data.update(fields)
    return data


def submit(client, path: str, action: str, **fields):
    token = csrf_for(client, "/console/notices")
    return client.post(path, data={"csrf_token": token, "action": action, **form(**fields)})


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def database(app):
    return app.extensions["db"]


@pytest.fixture
def friends(sim, database):
    def make(count: int, area: str | None = None, interests=()) -> list[str]:
        user_ids = bulk_users(sim, count)
        add_friends(database, user_ids, area, interests)
        return user_ids
    return make


def create(app, actor: str = "someone", **fields) -> int:
    with app.extensions["db"].transaction() as session:
        draft = notices.NoticeDraft(**{"title": "お知らせ", "body": "本文です。", **fields})
        return notices.create_notice(session, draft, actor, app.extensions["settings"], utcnow()).id


def deliver(app) -> None:
    for _ in range(10):
        results = delivery.run_deliveries(app.extensions["db"], app.extensions["gateway"], app.extensions["settings"])
        if all(r.outcome in ("done", "held") for r in results):
            return


def notice_row(db_session, notice_id: int) -> Notice:
    db_session.rollback()  # a fresh snapshot (and no stale objects)
    return db_session.get(Notice, notice_id)


def audit_actions(db_session, notice_id: int) -> list[str]:
    db_session.rollback()  # a fresh snapshot (and no stale objects)
    return list(db_session.scalars(select(AuditEntry.action).where(AuditEntry.target == str(notice_id))
                                   .order_by(AuditEntry.id)))


def require_approval(app) -> None:
    app.extensions["settings"] = app.extensions["settings"].with_overrides(notice_approval_required=True)


# ---- permissions ---------------------------------------------------------------------------------


def test_everyone_sees_the_list_and_a_notice_but_a_viewer_cannot_compose_or_change(client, login_as, app):
    notice_id = create(app, title="見るだけ")
    login_as("viewer")
    listing = client.get("/console/notices")
    assert listing.status_code == 200 and "見るだけ" in text_of(listing)
    assert "新しいお知らせを作成" not in text_of(listing)
    page = client.get(f"/console/notices/{notice_id}")
    assert page.status_code == 200 and "内容を変更する" not in text_of(page) and "送信を中止する" not in text_of(page)
    assert client.get(NEW).status_code == 403
    assert client.get(f"/console/notices/{notice_id}/edit").status_code == 403
    for path in (NEW, f"/console/notices/{notice_id}/cancel", f"/console/notices/{notice_id}/approve",
                 f"/console/notices/{notice_id}/withdraw", f"/console/notices/{notice_id}/resume"):
        assert post_form(client, path, form(action="save")).status_code == 403, path
    assert "お知らせ" in text_of(client.get("/console"))  # in the menu


def test_the_menu_shows_notices_and_the_list_is_empty_at_first(client, login_as):
    login_as("author")
    page = text_of(client.get("/console/notices"))
    assert 'href="/console/notices"' in page and "まだお知らせはありません" in page


def test_a_post_without_the_csrf_token_changes_nothing(client, login_as, db_session):
    login_as("author")
    response = client.post(NEW, data={"action": "save", **form()})
    assert response.status_code == 400
    assert db_session.scalar(select(Notice.id)) is None


def test_unknown_notices_are_not_found(client, login_as):
    login_as("admin")
    assert client.get("/console/notices/999").status_code == 404
    assert client.get("/console/notices/999/progress.json").status_code == 404
    assert post_form(client, "/console/notices/999/cancel").status_code == 404


# ---- composing ----------------------------------------------------------------------------------


def test_mistakes_are_shown_next_to_their_fields_in_japanese_and_the_input_is_kept(client, login_as, db_session):
    login_as("author")
    yesterday = (utcnow().astimezone(JST) - timedelta(days=1)).date().isoformat()
    response = submit(client, NEW, "preview", title="", body="本文は<残す>", link="ftp://example.jp",
                      image="http://example.jp/a.png", day=yesterday, clock="09:00")
    page = text_of(response)
    assert response.status_code == 422
    assert 'id="title-error">タイトルを入力してください。' in page
    assert 'id="link-error">リンクは http:// か https:// で始まるURLにしてください。' in page
    assert 'id="image-error">画像は https:// で始まるURLにしてください。' in page
    assert 'id="send_at-error">この日時はもう過ぎています。' in page
    assert "本文は&lt;残す&gt;</textarea>" in page and 'value="ftp://example.jp"' in page
    assert db_session.scalar(select(Notice.id)) is None


def test_a_segment_needs_an_area_or_an_interest_and_urgent_kinds_take_no_interests(client, login_as):
    login_as("author")
    page = text_of(submit(client, NEW, "preview", target="segment"))
    assert 'id="areas-error">届ける地域か対象の情報を1つ以上選んでください。' in page
    page = text_of(submit(client, NEW, "preview", kind="evacuation", target="segment", areas=["mito"],
                          interests=["events"]))
    assert 'id="interests-error">避難情報は受け取る情報の設定に関係なく届きます。' in page
    assert 'value="mito" checked' in page and 'value="events" checked' in page
    page = text_of(submit(client, NEW, "preview", timing="later", day="", clock=""))
    assert 'id="send_at-error">送信する日付と時刻を入力してください。' in page


def test_the_preview_shows_the_line_bubble_the_alt_text_the_recipients_and_the_quota(
        client, login_as, friends, sim):
    friends(3, area="mito")
    friends(2, area="shuho")
    sim.request("POST", "/_sim/config", {"monthly_quota": 1000})
    login_as("author")
    response = submit(client, NEW, "preview", title="<b>美東</b>の断水", body="<script>alert(1)</script>\n復旧は夕方です。",
                      link="https://www.city.mine.lg.jp/", target="segment", areas=["mito"])
    page = text_of(response)
    assert response.status_code == 200
    phone = page[page.index('class="phone"'):page.index("</figure>")]
    assert "&lt;b&gt;美東&lt;/b&gt;の断水" in phone and "&lt;script&gt;alert(1)&lt;/script&gt;" in phone
    assert "<script>alert" not in page and "<b>美東" not in page
    assert 'href="https://www.city.mine.lg.jp/"' in phone and "詳しく見る" in phone
    assert "対象地域：美東" in phone
    assert "【お知らせ】&lt;b&gt;美東&lt;/b&gt;の断水" in page  # the alt text
    assert re.search(r'id="recipients">3<', page) and re.search(r'id="quota-remaining">1,000<', page)
    assert "残りの範囲で送信できます。" in page
    assert ">予約する</button>" in page
    assert 'name="areas" value="mito"' in page  # the draft rides along to the next step


def test_the_preview_warns_when_the_monthly_quota_would_not_fit(client, login_as, friends, sim):
    friends(12)
    sim.request("POST", "/_sim/config", {"monthly_quota": 10})
    login_as("author")
    page = text_of(submit(client, NEW, "preview", timing="now"))
    assert "今月の残りが足りません。" in page and 'id="quota-needed">12<' in page
    assert ">この内容で送信</button>" in page


def test_sending_now_creates_the_notice_once_audited_and_it_goes_out(client, login_as, friends, app, db_session, sim):
    people = friends(4)
    login_as("author")
    response = submit(client, NEW, "save", timing="now", title="防災訓練のお知らせ")
    assert response.status_code == 302
    notice_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = text_of(client.get(response.headers["Location"]))
    assert "「防災訓練のお知らせ」を保存しました。まもなく送信が始まります。" in page
    assert 'data-live="1"' in page
    assert audit_actions(db_session, notice_id) == ["notice.create"]  # recorded once, by the domain
    deliver(app)
    assert notice_row(db_session, notice_id).status is NoticeStatus.SENT
    assert any("防災訓練のお知らせ" in t for t in sim.texts(people[0]))


def test_back_from_the_preview_keeps_everything_typed(client, login_as):
    login_as("author")
    page = text_of(submit(client, NEW, "back", title="書きかけ", body="本文\n2行目", target="segment",
                          areas=["shuho"], interests=["health"]))
    assert 'value="書きかけ"' in page and "本文\n2行目</textarea>" in page
    assert 'value="shuho" checked' in page and 'value="health" checked' in page and 'value="segment" checked' in page


# ---- approval -----------------------------------------------------------------------------------


def test_an_urgent_notice_waits_for_another_persons_approval(client, login_as, app, db_session, make_staff):
    require_approval(app)
    login_as("author", "sakura")
    page = text_of(submit(client, NEW, "preview", kind="evacuation"))
    assert "この種類は承認が必要です。" in page and ">承認を依頼する</button>" in page
    response = submit(client, NEW, "save", kind="evacuation", title="避難指示")
    notice_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert notice_row(db_session, notice_id).status is NoticeStatus.AWAITING_APPROVAL
    assert "承認者の承認を待っています" in text_of(client.get(f"/console/notices/{notice_id}"))

    assert post_form(client, f"/console/notices/{notice_id}/approve").status_code == 403  # an author

    approver = make_staff("kenji", "approver")
    client.post("/console/logout", data={"csrf_token": csrf_for(client, "/console")})
    from tests.support.console import log_in
    log_in(client, approver.login_name, approver.password)
    page = text_of(client.get(f"/console/notices/{notice_id}"))
    assert "内容を確認して承認する" in page
    response = post_form(client, f"/console/notices/{notice_id}/approve")
    assert response.status_code == 302
    row = notice_row(db_session, notice_id)
    assert row.status is NoticeStatus.SCHEDULED and row.approved_by == "kenji"
    assert audit_actions(db_session, notice_id) == ["notice.create", "notice.approve"]


def test_an_admin_cannot_approve_their_own_notice(client, login_as, app, db_session):
    require_approval(app)
    admin = login_as("admin", "chief")
    notice_id = create(app, actor=admin.login_name, kind="weather", title="大雨警報")
    page = text_of(client.get(f"/console/notices/{notice_id}"))
    assert "ご自身が作成したお知らせは承認できません。" in page and "内容を確認して承認する" not in page
    response = post_form(client, f"/console/notices/{notice_id}/approve")
    assert response.status_code == 403 and "ご自身が作成したお知らせは承認できません。" in text_of(response)
    assert notice_row(db_session, notice_id).status is NoticeStatus.AWAITING_APPROVAL
    assert audit_actions(db_session, notice_id) == ["notice.create"]


# ---- editing, cancelling, withdrawing, resuming --------------------------------------------------


def test_a_scheduled_notice_can_be_edited_until_it_goes(client, login_as, app, db_session):
    login_as("author")
    day, clock = tomorrow_at(10)
    notice_id = create(app, title="古いタイトル", send_at=f"{day}T{clock}", areas=["mine"])
    page = text_of(client.get(f"/console/notices/{notice_id}/edit"))
    assert 'value="古いタイトル"' in page and f'value="{day}"' in page and 'value="mine" checked' in page
    assert 'name="version" value="1"' in page
    preview = text_of(submit(client, f"/console/notices/{notice_id}/edit", "preview", title="新しいタイトル",
                             day=day, clock="11:30", version="1"))
    assert ">変更を保存する</button>" in preview and "11:30" in preview
    response = submit(client, f"/console/notices/{notice_id}/edit", "save", title="新しいタイトル", day=day,
                      clock="11:30", version="1")
    assert response.status_code == 302
    row = notice_row(db_session, notice_id)
    assert (row.title, row.version, row.areas) == ("新しいタイトル", 2, [])
    assert row.send_at.astimezone(JST).strftime("%H:%M") == "11:30"
    assert "変更を保存しました" in text_of(client.get(f"/console/notices/{notice_id}"))

    stale = submit(client, f"/console/notices/{notice_id}/edit", "save", title="古い画面から", version="1")
    assert "ほかの人が先に変更しました" in text_of(client.get(stale.headers["Location"]))
    assert notice_row(db_session, notice_id).title == "新しいタイトル"
    assert audit_actions(db_session, notice_id) == ["notice.create", "notice.update"]


def test_cancelling_asks_first_and_then_the_notice_is_never_sent(client, login_as, app, db_session):
    login_as("author")
    day, clock = tomorrow_at()
    notice_id = create(app, title="中止する催し", send_at=f"{day}T{clock}")
    confirm = text_of(client.get(f"/console/notices/{notice_id}/cancel"))
    assert "「中止する催し」の送信を中止します。" in confirm and "送信を中止する" in confirm
    assert post_form(client, f"/console/notices/{notice_id}/cancel").status_code == 302
    assert notice_row(db_session, notice_id).status is NoticeStatus.CANCELLED
    response = client.get(f"/console/notices/{notice_id}/edit")
    assert response.status_code == 302
    assert "中止のお知らせは編集できません。" in text_of(client.get(response.headers["Location"]))
    assert audit_actions(db_session, notice_id) == ["notice.create", "notice.cancel"]


def test_a_sent_notice_is_withdrawn_with_a_reason(client, login_as, app, db_session, friends):
    friends(3)
    login_as("author")
    notice_id = create(app, title="誤ったお知らせ")
    deliver(app)
    page = text_of(client.get(f"/console/notices/{notice_id}"))
    assert "このお知らせを取り消す" in page and "内容を変更する" not in page
    form_page = text_of(client.get(f"/console/notices/{notice_id}/withdraw"))
    assert "取り消す理由（訂正の内容）" in form_page
    empty = post_form(client, f"/console/notices/{notice_id}/withdraw", {"reason": "  "})
    assert empty.status_code == 422
    assert 'id="reason-error">取り消しの理由（訂正の内容）を入力してください。' in text_of(empty)
    done = post_form(client, f"/console/notices/{notice_id}/withdraw", {"reason": "日付が<誤り>でした。"})
    assert done.status_code == 302
    row = notice_row(db_session, notice_id)
    assert row.status is NoticeStatus.WITHDRAWN and row.withdrawal_reason == "日付が<誤り>でした。"
    detail = text_of(client.get(f"/console/notices/{notice_id}"))
    assert "日付が&lt;誤り&gt;でした。" in detail and "取消済み" in detail
    assert "取消済み" in text_of(client.get("/console/notices"))
    assert audit_actions(db_session, notice_id) == ["notice.create", "notice.withdraw"]


def test_a_notice_held_by_the_quota_shows_the_reason_and_resumes(client, login_as, app, db_session, friends, sim):
    friends(700, area="mine")
    sim.request("POST", "/_sim/config", {"monthly_quota": 600})
    login_as("author")
    notice_id = create(app, title="保留される", areas=["mine"])
    deliver(app)
    assert notice_row(db_session, notice_id).status is NoticeStatus.HELD
    listing = text_of(client.get("/console/notices?status=held"))
    assert "保留される" in listing and "送信保留" in listing and "今月の送信可能数を超える" in listing
    page = text_of(client.get(f"/console/notices/{notice_id}"))
    assert "送信を保留しています。" in page and "送信を再開する" in page and "今月の残りが足りません。" in page

    sim.request("POST", "/_sim/config", {"monthly_quota": 10_000})
    assert post_form(client, f"/console/notices/{notice_id}/resume").status_code == 302
    assert notice_row(db_session, notice_id).status is NoticeStatus.SENDING
    deliver(app)
    assert notice_row(db_session, notice_id).status is NoticeStatus.SENT
    assert audit_actions(db_session, notice_id) == ["notice.create", "notice.resume"]


# ---- the list and the progress --------------------------------------------------------------------


def test_the_list_is_newest_first_filters_by_status_and_escapes_titles(client, login_as, app, friends):
    friends(2)
    login_as("viewer")
    first = create(app, title="一番目", kind="event")
    deliver(app)
    day, clock = tomorrow_at()
    create(app, title="<i>二番目</i>", send_at=f"{day}T{clock}", areas=["shuho"], interests=["events"])
    page = text_of(client.get("/console/notices"))
    assert page.index("&lt;i&gt;二番目&lt;/i&gt;") < page.index("一番目") and "<i>二番目" not in page
    assert "予約済み" in page and "送信済み" in page and "秋芳／イベント" in page and "すべての友だち" in page
    row = page[page.index(f'data-notice-id="{first}"'):]
    row = row[:row.index("</tr>")]
    assert "2人" in row and "0人" in row and "イベント" in row
    sent_only = text_of(client.get("/console/notices?status=sent"))
    assert "一番目" in sent_only and "二番目" not in sent_only and "「送信済み」のお知らせ 1件" in sent_only
    assert "「中止」のお知らせはありません。" in text_of(client.get("/console/notices?status=cancelled"))


def test_the_progress_json_follows_the_delivery(client, login_as, app, friends):
    friends(30, area="mito")
    login_as("viewer")
    notice_id = create(app, title="進み具合", areas=["mito"])
    before = client.get(f"/console/notices/{notice_id}/progress.json")
    assert before.headers["Cache-Control"] == "no-store"
    data = before.get_json()
    assert (data["state"], data["label"], data["targets"], data["planned"], data["bar_value"], data["live"]) == (
        "scheduled", "予約済み", 30, False, 0, True)
    page = text_of(client.get(f"/console/notices/{notice_id}"))
    assert 'id="delivery-progress" max="30" value="0"' in page and 'data-live="1"' in page
    deliver(app)
    data = client.get(f"/console/notices/{notice_id}/progress.json").get_json()
    assert {k: data[k] for k in ("status", "state", "label", "targets", "sent", "failed", "percent", "live")} == {
        "status": "sent", "state": "sent", "label": "送信済み", "targets": 30, "sent": 30, "failed": 0,
        "percent": 100, "live": False}
    page = text_of(client.get(f"/console/notices/{notice_id}"))
    assert 'id="delivery-progress" max="30" value="30"' in page and 'data-live="0"' in page


# ---- the preview renderer (pure) ----------------------------------------------------------------


def test_the_preview_renderer_escapes_text_and_drops_unsafe_links_and_styles():
    from bot.console.flex_preview import render_messages

    bubble = {"type": "bubble", "size": "mega", "body": {"type": "box", "layout": "horizontal", "spacing": "md",
              "backgroundColor": "red;position:fixed", "contents": [
                  {"type": "text", "text": "<img src=x onerror=alert(1)>", "color": "#123456", "size": "xl"},
                  {"type": "button", "action": {"type": "uri", "label": "開く", "uri": "javascript:alert(1)"}},
                  {"type": "image", "url": "https://example.jp/a.png\" onload=\"alert(1)", "aspectRatio": "4:3"},
              ]}}
    html = str(render_messages([
        {"type": "text", "text": "<b>こんにちは</b>"},
        {"type": "flex", "altText": "x", "contents": {"type": "carousel", "contents": [bubble, bubble]}},
    ]))
    assert "&lt;b&gt;こんにちは&lt;/b&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>" not in html and "javascript:" not in html and "position:fixed" not in html
    assert 'onload="' not in html and "&#34; onload=&#34;" in html
    assert html.count('class="flex-bubble"') == 2 and "color:#123456" in html
    assert "font-size:22px" in html and "margin-left:8px" in html and "aspect-ratio:4 / 3" in html


def test_an_expired_notice_shows_why_and_can_be_copied_into_a_new_one(client, login_as, app, db_session):
    login_as("author")
    day, clock = tomorrow_at(8)
    notice_id = create(app, title="期限切れ<テスト>", body="本文", areas=["mito"], send_at=f"{day}T{clock}")
    delivery.start_due_notices(app.extensions["db"], app.extensions["settings"], now=utcnow() + timedelta(days=3))
    assert notice_row(db_session, notice_id).status is NoticeStatus.EXPIRED
    page = text_of(client.get(f"/console/notices/{notice_id}"))
    assert "期限切れのため送信していません。" in page and "猶予の60分を超えたため" in page
    assert "内容を変更する" not in page and "送信を中止する" not in page
    copy = text_of(client.get(f"/console/notices/new?from={notice_id}"))
    assert "「期限切れ&lt;テスト&gt;」の内容を写しました。" in copy
    assert 'value="期限切れ&lt;テスト&gt;"' in copy and 'value="mito" checked' in copy
    assert 'id="timing-now" name="timing" value="now" checked' in copy and 'name="version" value=""' in copy
