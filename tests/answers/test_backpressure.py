"""Backpressure: the backlog a process lets wait follows how fast its handlers go (pure logic)."""

from __future__ import annotations

from bot.line.events import BACKLOG_MIN_PER_HANDLER, HandlingPace

TARGET_S = 0.25


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def pace_after(gaps_s: list[float]) -> HandlingPace:
    clock = Clock()
    pace = HandlingPace(TARGET_S, clock)
    for gap in gaps_s:
        clock.now += gap
        pace.handled()
    return pace


def test_before_any_pace_is_known_the_backlog_is_held_at_one_event_per_handler():
    assert HandlingPace(TARGET_S, Clock()).backlog_limit(4) == 4 * BACKLOG_MIN_PER_HANDLER


def test_a_fast_process_lets_more_wait_than_a_slow_one_about_the_target_time_each():
    fast = pace_after([0.005] * 200)  # 200 events/s
    slow = pace_after([0.025] * 200)  # 40 events/s
    assert abs(fast.backlog_limit(2) - 200 * TARGET_S) <= 1
    assert abs(slow.backlog_limit(2) - 40 * TARGET_S) <= 1
    assert fast.backlog_limit(2) > slow.backlog_limit(2) >= 2


def test_the_pace_follows_a_slowdown_within_a_few_dozen_events():
    pace = pace_after([0.005] * 200)
    clock = Clock()
    pace._clock, pace._last = clock, clock.now
    for _ in range(60):
        clock.now += 0.05
        pace.handled()
    assert pace.backlog_limit(2) <= TARGET_S / 0.05 * 1.5


def test_an_idle_pause_counts_as_at_most_one_second():
    pace = pace_after([0.005] * 200 + [3600.0])
    assert pace.interval <= 0.005 + HandlingPace.SMOOTHING * HandlingPace.LONGEST_GAP_S + 1e-9
