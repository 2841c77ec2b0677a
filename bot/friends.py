"""Friends of the account: following, blocking, and their area and interest settings.

Used by the LINE handlers, the console and the delivery engine alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bot.models import Friend, FriendEvent, FriendEventKind, FriendStatus

# Areas of Mine City used for targeting notices (the three former towns).
AREAS: dict[str, str] = {"mine": "美祢", "mito": "美東", "shuho": "秋芳"}
# Topics a friend can choose to receive; notices target them.
INTERESTS: dict[str, str] = {
    "disaster": "防災・気象",
    "events": "イベント",
    "childcare": "子育て",
    "health": "健康・福祉",
    "digital": "スマホ教室",
}


def get_friend(session: Session, line_user_id: str) -> Friend | None:
    return session.scalar(select(Friend).where(Friend.line_user_id == line_user_id))


def record_follow(session: Session, line_user_id: str, display_name: str | None, now: datetime) -> tuple[Friend, bool]:
    """Mark the user as following; returns the friend and whether they had blocked us before."""
    friend = get_friend(session, line_user_id)
    if friend is None:
        friend = Friend(line_user_id=line_user_id, display_name=display_name or "", followed_at=now)
        session.add(friend)
        session.flush()
        _record_event(session, friend, FriendEventKind.FOLLOW, now)
        return friend, False
    returning = friend.status is FriendStatus.BLOCKED or friend.blocked_at is not None
    if friend.status is FriendStatus.BLOCKED:
        _record_event(session, friend, FriendEventKind.FOLLOW, now)
    friend.status = FriendStatus.FOLLOWING
    friend.followed_at = now
    friend.follow_count += 1
    if display_name:
        friend.display_name = display_name
    return friend, returning


def record_unfollow(session: Session, line_user_id: str, now: datetime) -> None:
    """The user blocked the account: nothing may be sent to them any more."""
    friend = get_friend(session, line_user_id)
    if friend is None:
        friend = Friend(line_user_id=line_user_id, followed_at=now)
        session.add(friend)
        session.flush()
    if friend.status is not FriendStatus.BLOCKED:
        _record_event(session, friend, FriendEventKind.UNFOLLOW, now)
    friend.status = FriendStatus.BLOCKED
    friend.blocked_at = now


def _record_event(session: Session, friend: Friend, kind: FriendEventKind, now: datetime) -> None:
    """One line of the follow/block history the dashboard draws (only real changes are written)."""
    session.add(FriendEvent(friend_id=friend.id, kind=kind, at=now))


def set_area(friend: Friend, area: str) -> None:
    if area not in AREAS:
        raise ValueError(f"unknown area {area!r}")
    friend.area = area


def toggle_interest(friend: Friend, interest: str) -> bool:
    """Switch one interest on or off; returns whether it is now on."""
    if interest not in INTERESTS:
        raise ValueError(f"unknown interest {interest!r}")
    chosen = list(friend.interests or [])
    if interest in chosen:
        chosen.remove(interest)
    else:
        chosen.append(interest)
    friend.interests = [key for key in INTERESTS if key in chosen]  # stable order, new list
    return interest in chosen


def following_friends(areas: Sequence[str] = ()) -> Select[tuple[Friend]]:
    """Friends who may receive a notice: following, in one of `areas` (any when empty).

    Interests are a JSON list: the caller filters them in Python (`wants_any`)."""
    query = select(Friend).where(Friend.status == FriendStatus.FOLLOWING).order_by(Friend.id)
    if areas:
        query = query.where(Friend.area.in_(list(areas)))
    return query


def wants_any(friend: Friend, interests: Sequence[str]) -> bool:
    return not interests or bool(set(friend.interests or []) & set(interests))
