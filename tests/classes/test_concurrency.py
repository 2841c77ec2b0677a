"""A class never takes more people than its capacity: 200 friends tap 「申し込む」 for a 20-seat
class at the same moment, each tap a real signed webhook from the emulator to the bot on a
real port, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from bot.models import BookingStatus, ClassBooking
from tests.classes.conftest import sign_up
from tests.support.sim import SimClient

FRIENDS = 200
SEATS = 20


def test_200_simultaneous_sign_ups_fill_20_seats_and_waitlist_the_rest(bot_server, sim, emulator, make_class,
                                                                        db_session):
    class_id = make_class("満席テスト教室", capacity=SEATS)
    users = sim.request("POST", "/_sim/users/bulk", {"count": FRIENDS, "display_name_prefix": "住民"})["user_ids"]
    clients = threading.local()

    def client() -> SimClient:
        if not hasattr(clients, "sim"):
            clients.sim = SimClient(emulator.url)
        return clients.sim

    # Every friend walks through the flow to the confirm step (typing a name, no phone).
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda pair: sign_up(client(), pair[1], class_id, name=f"参加者{pair[0]:03d}"),
                      enumerate(users)))
    walked = time.monotonic() - started

    # Then all 200 tap 「申し込む」 at once.
    gate = threading.Barrier(FRIENDS)

    def tap(user: str) -> int:
        own = SimClient(emulator.url)
        gate.wait()
        return own.tap(user, "申し込む")

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=FRIENDS) as pool:
        statuses = list(pool.map(tap, users))
    tapped = time.monotonic() - started
    print(f"\n[classes concurrency] {bot_server.app.extensions['db'].engine.dialect.name}: "
          f"{FRIENDS} friends to the confirm step in {walked:.1f}s, {FRIENDS} simultaneous taps in {tapped:.1f}s")

    assert statuses == [200] * FRIENDS
    db_session.rollback()
    rows = list(db_session.scalars(select(ClassBooking).where(ClassBooking.class_id == class_id)))
    by_status = Counter(row.status for row in rows)
    assert by_status == {BookingStatus.CONFIRMED: SEATS, BookingStatus.WAITLISTED: FRIENDS - SEATS}
    assert sorted(row.line_user_id for row in rows) == sorted(users)  # everyone once, nobody twice
    last_words = [client().texts(user)[-1] for user in users]
    assert sum("参加が決まりました" in words for words in last_words) == SEATS
    positions = sorted(int(words.split("（")[1].split("番目")[0]) for words in last_words if "キャンセル待ち" in words)
    assert positions == list(range(1, FRIENDS - SEATS + 1))  # each waitlist place given once
    assert walked + tapped < 60
