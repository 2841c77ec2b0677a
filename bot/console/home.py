"""The console home (dashboard): how the account is used over a period (7 days, 30 days, this
fiscal year): friends added and blocked by area, LINE messages against the monthly quota, FAQ
questions and feedback, notices and their reach, e-mail, class seats. Each chart is SVG drawn
here with its numbers as a table and a CSV download; no script is needed."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import web
from bot.console import charts, nav, usage
from bot.console.auth import current_staff
from bot.console.charts import PALETTE, Series
from bot.console.pages import local_zone
from bot.db import utcnow
from bot.friends import AREAS
from bot.line.gateway import LineApiError
from bot.models import Friend
from bot.notices.targeting import KINDS

bp = Blueprint("home", __name__, url_prefix="/console")

RECENT_FRIENDS = 10
NO_AREA_LABEL = "未設定"
PERIODS = {"7d": "7日", "30d": "30日", "fy": "今年度"}
FISCAL_YEAR_STARTS = 4  # April
AREA_LABELS = {**AREAS, usage.NO_AREA: NO_AREA_LABEL}
DECISIONS = {"answer": "回答した", "suggest": "候補を出した", "none": "答えられなかった"}


@dataclass(frozen=True)
class Period:
    key: str
    window: usage.Window
    monthly: bool  # buckets are months (this fiscal year) rather than days

    def buckets(self) -> list[tuple[str, str]]:
        """(key, label) of every day (or month) of the period, in order."""
        days = [self.window.first + timedelta(days=n) for n in range((self.window.last - self.window.first).days + 1)]
        if self.monthly:
            months = dict.fromkeys(f"{d:%Y-%m}" for d in days)
            return [(m, f"{int(m[5:])}月") for m in months]
        return [(f"{d:%Y-%m-%d}", f"{d.month}/{d.day}") for d in days]

    def bucket_of(self, day_key: str) -> str:
        return day_key[:7] if self.monthly else day_key


def period_of(key: str, now: datetime, tz: tzinfo) -> Period:
    today = now.astimezone(tz).date()
    if key == "fy":
        year = today.year if today.month >= FISCAL_YEAR_STARTS else today.year - 1
        return Period(key, usage.Window(date(year, FISCAL_YEAR_STARTS, 1), today, tz), monthly=True)
    days = 7 if key == "7d" else 30
    return Period(key, usage.Window(today - timedelta(days=days - 1), today, tz), monthly=False)


@dataclass
class Figure:
    """One chart of the dashboard with its numbers (the table and the CSV are the same rows)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    svg: Markup | None = None
    notes: list[str] = field(default_factory=list)
    extra: Markup | None = None  # a second picture of the same rows


def _roll_up(period: Period, counts: dict[str, int]) -> dict[str, int]:
    rolled: dict[str, int] = {}
    for day_key, count in counts.items():
        bucket = period.bucket_of(day_key)
        rolled[bucket] = rolled.get(bucket, 0) + count
    return rolled


def friends_figures(session: Session, period: Period, now: datetime) -> list[Figure]:
    changes = usage.friend_changes(session, period.window, now)
    buckets = period.buckets()
    areas = list(AREA_LABELS)
    added = {a: _roll_up(period, {d: c for (d, area, k), c in changes.items() if area == a and k == "follow"})
             for a in areas}
    blocked = _roll_up(period, {d: c for (d, _a, k), c in changes.items() if k == "unfollow"})
    totals = [sum(added[a].get(b, 0) for a in areas) for b, _ in buckets]
    losses = [blocked.get(b, 0) for b, _ in buckets]
    series = [Series(f"追加（{AREA_LABELS[a]}）", [added[a].get(b, 0) for b, _ in buckets], PALETTE[i])
              for i, a in enumerate(areas)]
    series.append(Series("ブロック", [-n for n in losses], PALETTE[5]))
    net = Series("差し引き", [t - n for t, n in zip(totals, losses)], "#000")
    over_time = Figure(
        "friends", "友だちの増減", ["期間", "追加", "ブロック", "差し引き"],
        [[label, t, n, t - n] for (_, label), t, n in zip(buckets, totals, losses)],
        charts.bar_chart("友だちの増減", [label for _, label in buckets], series, line=net, unit="人"))
    following = usage.following_by_area(session)
    by_area = [[AREA_LABELS[a], following.get(a, 0), sum(added[a].values()),
                sum(c for (_d, area, k), c in changes.items() if area == a and k == "unfollow")] for a in areas]
    for row in by_area:
        row.append(row[2] - row[3])
    area_chart = charts.bar_chart(
        "地域別の友だちの増減", [row[0] for row in by_area],
        [Series("追加", [row[2] for row in by_area], PALETTE[0]), Series("ブロック", [-row[3] for row in by_area], PALETTE[5])],
        unit="人")
    return [over_time, Figure("areas", "地域別の友だち", ["地域", "友だち（登録中）", "追加", "ブロック", "差し引き"],
                              by_area, area_chart, ["地域は、友だちがいま設定している地域です。"])]


def messages_figure(session: Session, now: datetime, tz: tzinfo) -> Figure:
    month, per_day = usage.sent_this_month(session, now, tz)
    recorded = sum(per_day.values())
    try:
        quota = web.gateway().quota()
    except LineApiError as exc:
        quota, notes = None, [f"LINEから今月の送信数と上限を取得できませんでした（{exc.status or '接続できません'}）。"
                              f"このシステムが記録した送信数 {recorded:,}通 で表示しています。"]
    else:
        notes = [f"今月の送信数 {quota.used:,}通（LINEの集計）。このシステムの記録では {recorded:,}通です。"]
        if not quota.limited:
            notes.append("この公式アカウントには月の上限がありません。")
    used, limit = (quota.used, quota.limit) if quota else (recorded, None)
    days_in_month = ((month.first + timedelta(days=32)).replace(day=1) - month.first).days
    elapsed_days = (now - month.start).total_seconds() / 86400
    projected = round(used * days_in_month / max(elapsed_days, 1.0))
    over = limit is not None and projected > limit
    notes.append(f"このままのペースだと、月末までに約 {projected:,}通 になる見込みです"
                 + (f"（上限 {limit:,}通）。" if limit is not None else "。")
                 + ("上限を超える見込みです。大事なお知らせが送れなくならないよう、送る回数を見直してください。" if over else ""))
    notes.append("送信数は、お知らせと教室のお知らせ（プッシュ）を受け取った人数の合計です。応答メッセージは数えません。")
    days = [month.first + timedelta(days=n) for n in range((month.last - month.first).days + 1)]
    rows: list[list[object]] = [[f"{d.month}/{d.day}", per_day.get(f"{d:%Y-%m-%d}", 0)] for d in days]
    return Figure("messages", "今月のLINE送信数（上限と見込み）", ["日付", "送信数"], rows,
                  charts.meter("今月のLINE送信数", used, limit, projected), notes,
                  charts.bar_chart("日ごとのLINE送信数", [r[0] for r in rows], [Series("送信数", [r[1] for r in rows])],
                                   unit="通"))


def faq_figures(session: Session, period: Period, now: datetime) -> list[Figure]:
    counts = usage.faq_by_day(session, period.window, now)
    buckets = period.buckets()
    by_decision = {key: _roll_up(period, {d: c for (d, k), c in counts.items() if k == key}) for key in DECISIONS}
    rows = []
    for bucket, label in buckets:
        values = {key: by_decision[key].get(bucket, 0) for key in DECISIONS}
        share = usage.answered_share(values)
        rows.append([label, sum(values.values()), *values.values(), f"{share['answer']}%", f"{share['suggest']}%",
                     f"{share['none']}%"])
    series = [Series(name, [by_decision[key].get(b, 0) for b, _ in buckets], color)
              for (key, name), color in zip(DECISIONS.items(), (PALETTE[0], PALETTE[1], PALETTE[2]))]
    resolved, unresolved = usage.faq_feedback(session, period.window)
    per_day = Figure("faq", "よくある質問（FAQ）への質問", ["期間", "質問", *DECISIONS.values(), "回答の割合", "候補の割合",
                                                      "未回答の割合"], rows,
                     charts.bar_chart("FAQへの質問", [label for _, label in buckets], series, unit="件"),
                     [f"「解決した」 {resolved:,}件／「解決しない」 {unresolved:,}件（この期間）"])
    top = usage.top_unanswered(session, period.window)
    unanswered = Figure("unanswered", "答えられなかった質問（多い順）", ["質問", "件数"], [[q, c] for q, c in top],
                        charts.bar_chart("答えられなかった質問", [str(i + 1) for i in range(len(top))],
                                         [Series("件数", [c for _, c in top], PALETTE[2])], unit="件") if top else None,
                        ["グラフの番号は表の順番です。"] if top else ["この期間に答えられなかった質問はありません。"])
    return [per_day, unanswered]


def notices_figure(session: Session, period: Period) -> Figure:
    reach = usage.notices_sent(session, period.window)
    tz = period.window.tz
    rows: list[list[object]] = []
    for item in reach:
        mail = item.mail or {}
        rows.append([f"{item.notice.published_at.astimezone(tz):%Y/%m/%d %H:%M}", KINDS[item.notice.kind],
                     item.notice.title, item.targets, item.sent, item.failed, mail.get("sent", 0),
                     mail.get("failed", 0), mail.get("pending", 0)])
    shown = list(reversed(reach[:20]))
    svg = charts.bar_chart("お知らせが届いた人数", [f"{r.notice.published_at.astimezone(tz):%m/%d}" for r in shown],
                           [Series("届いた人数", [r.sent for r in shown]),
                            Series("失敗", [-r.failed for r in shown], PALETTE[5])], unit="人") if shown else None
    return Figure("notices", "送ったお知らせと届いた人数",
                  ["発信日時", "種類", "タイトル", "対象", "届いた", "失敗", "メール送信", "メール失敗", "メール待ち"], rows, svg,
                  ["グラフは新しい20件です。"] if shown else ["この期間に送ったお知らせはありません。"])


def mail_figure(session: Session) -> Figure:
    total, by_area = usage.mail_subscribers(session)
    labels = {usage.NO_AREA: "すべての地域", **AREAS}
    rows: list[list[object]] = [[label, by_area.get(code, 0)] for code, label in labels.items()]
    return Figure("mail", "メールで受け取っている人", ["受け取る地域", "人数"], rows,
                  charts.bar_chart("メールの登録者", [r[0] for r in rows], [Series("人数", [r[1] for r in rows])], unit="人"),
                  [f"登録中 {total:,}人。メールはお知らせの種類に関係なく、選んだ地域のお知らせをすべて受け取ります"
                   "（「すべての地域」はどの地域のお知らせも届きます）。"])


def classes_figure(session: Session, period: Period, now: datetime) -> Figure:
    fills = usage.class_fill(session, period.window, now)
    tz = period.window.tz
    rows: list[list[object]] = [[f"{f.course.starts_at.astimezone(tz):%Y/%m/%d}", f.course.title, f.course.capacity,
                                 f.confirmed, f"{f.percent}%", f.waiting] for f in fills]
    svg = charts.bar_chart("教室の埋まり具合", [f"{f.course.starts_at.astimezone(tz):%m/%d}" for f in fills],
                           [Series("埋まり具合", [f.percent for f in fills]),
                            Series("キャンセル待ち（人）", [f.waiting for f in fills], PALETTE[2])], unit="") if fills else None
    return Figure("classes", "スマホ教室の埋まり具合とキャンセル待ち", ["開催日", "教室", "定員", "参加決定", "埋まり具合", "キャンセル待ち"],
                  rows, svg, ["期間の初めから3か月先までの、中止していない教室です。"] if fills else ["この期間の教室はありません。"])


def figures(session: Session, period: Period, now: datetime) -> list[Figure]:
    """Every figure of the dashboard, in page order."""
    tz = period.window.tz
    return [*friends_figures(session, period, now), messages_figure(session, now, tz),
            *faq_figures(session, period, now), notices_figure(session, period), mail_figure(session),
            classes_figure(session, period, now)]


def recent_friends(session: Session) -> list[Friend]:
    query = select(Friend).order_by(Friend.followed_at.desc(), Friend.id.desc()).limit(RECENT_FRIENDS)
    return list(session.scalars(query))


def _period() -> Period:
    key = request.args.get("period", "30d")
    return period_of(key if key in PERIODS else "30d", utcnow(), local_zone())


@bp.get("/", endpoint="dashboard_slash")
@bp.get("")
def dashboard():
    """Show how the account is used in the chosen period: charts, their numbers, CSV downloads."""
    session, period = web.db_session(), _period()
    return render_template(
        "console/dashboard.html", figures=figures(session, period, utcnow()), period=period, periods=PERIODS,
        counts=usage.friend_counts(session), recent=recent_friends(session), area_labels=AREAS,
        sections=[link for link in nav.links(current_staff()) if link.url != url_for("home.dashboard")],
    )


@bp.get("/dashboard/<key>.csv")
def figure_csv(key: str):
    """Download one chart's numbers as CSV for Excel (UTF-8 with BOM)."""
    session, period = web.db_session(), _period()
    found = next((f for f in figures(session, period, utcnow()) if f.key == key), None)
    if found is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(found.columns)
    writer.writerows(found.rows)
    name = f"{found.title}_{PERIODS[period.key]}_{period.window.last:%Y%m%d}.csv"
    disposition = f"attachment; filename=\"dashboard-{key}.csv\"; filename*=UTF-8''{quote(name)}"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


