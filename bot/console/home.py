"""The console home (dashboard): friends in numbers, by area, the newest ones, and every section."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import web
from bot.console import nav
from bot.console.auth import current_staff
from bot.friends import AREAS
from bot.models import Friend, FriendStatus

bp = Blueprint("home", __name__, url_prefix="/console")

RECENT_FRIENDS = 10
NO_AREA_LABEL = "未設定"


def friend_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Friend.status, func.count()).group_by(Friend.status)).all()
    counts = {status: count for status, count in rows}
    return {"following": counts.get(FriendStatus.FOLLOWING, 0), "blocked": counts.get(FriendStatus.BLOCKED, 0)}


def following_by_area(session: Session) -> list[tuple[str, int]]:
    """(area label, friends following) for every area, then those with no area set."""
    rows = session.execute(
        select(Friend.area, func.count()).where(Friend.status == FriendStatus.FOLLOWING).group_by(Friend.area)
    ).all()
    counts = {area: count for area, count in rows}
    known = [(label, counts.pop(key, 0)) for key, label in AREAS.items()]
    return known + [(NO_AREA_LABEL, sum(counts.values()))]


def recent_friends(session: Session) -> list[Friend]:
    query = select(Friend).order_by(Friend.followed_at.desc(), Friend.id.desc()).limit(RECENT_FRIENDS)
    return list(session.scalars(query))


@bp.get("/", endpoint="dashboard_slash")
@bp.get("")
def dashboard():
    """Show the number of friends, by area, the newest friends, and links to every section."""
    session = web.db_session()
    return render_template(
        "console/dashboard.html",
        counts=friend_counts(session),
        areas=following_by_area(session),
        recent=recent_friends(session),
        area_labels=AREAS,
        sections=[link for link in nav.links(current_staff()) if link.url != url_for("home.dashboard")],
    )
