"""The late-answer animation: shown after its delay unless cancelled first, whatever the order
in which animations are started and cancelled (one thread keeps the deadlines)."""

from __future__ import annotations

import threading
import time

from bot.line.loading import LateAnswerAnimations


class Shown:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.at: dict[str, float] = {}
        self.changed = threading.Condition()

    def show(self, name: str):
        def call() -> None:
            with self.changed:
                self.names.append(name)
                self.at[name] = time.monotonic()
                self.changed.notify_all()
        return call

    def wait_for(self, count: int, timeout_s: float = 3.0) -> list[str]:
        with self.changed:
            self.changed.wait_for(lambda: len(self.names) >= count, timeout_s)
            return list(self.names)


def test_shown_after_the_delay_unless_cancelled():
    animations, shown = LateAnswerAnimations(), Shown()
    started = time.monotonic()
    kept = animations.start_after(0.15, shown.show("kept"))
    dropped = animations.start_after(0.10, shown.show("dropped"))
    animations.cancel(dropped)
    assert shown.wait_for(1) == ["kept"]
    assert shown.at["kept"] - started >= 0.15
    time.sleep(0.1)
    assert shown.names == ["kept"]
    animations.cancel(kept)  # already shown: nothing happens


def test_a_sooner_animation_started_while_the_thread_waits_for_a_later_one_is_on_time():
    animations, shown = LateAnswerAnimations(), Shown()
    animations.start_after(1.0, shown.show("later"))
    time.sleep(0.05)  # the thread now waits for the one-second deadline
    started = time.monotonic()
    animations.start_after(0.05, shown.show("sooner"))
    assert shown.wait_for(1) == ["sooner"]
    assert shown.at["sooner"] - started < 0.5


def test_cancelling_the_first_or_one_in_the_middle_keeps_the_others_in_order():
    animations, shown = LateAnswerAnimations(), Shown()
    handles = {name: animations.start_after(delay, shown.show(name))
               for name, delay in [("a", 0.05), ("b", 0.10), ("c", 0.15), ("d", 0.20), ("e", 0.25), ("f", 0.30)]}
    for name in ("a", "d", "f"):
        animations.cancel(handles[name])
    assert shown.wait_for(3) == ["b", "c", "e"]
    time.sleep(0.15)
    assert shown.names == ["b", "c", "e"]


def test_many_answers_on_time_leave_nothing_behind():
    animations, shown = LateAnswerAnimations(), Shown()
    handles = [animations.start_after(0.2, shown.show(str(n))) for n in range(200)]
    for handle in reversed(handles):
        animations.cancel(handle)
    assert animations._heap == []
    time.sleep(0.3)
    assert shown.names == []



FORK_CHECK = """
import os, threading, time
from bot.line.events import process_id
from bot.line.loading import LateAnswerAnimations

animations, parent_id, shown = LateAnswerAnimations(), process_id(), threading.Event()
animations.start_after(10.0, lambda: None)  # the thread now runs in the parent
time.sleep(0.2)  # and waits for that deadline (its lock released), as in a gunicorn master that forks
child = os.fork()
if child == 0:
    animations.start_after(0.05, shown.set)
    ok = shown.wait(5)
    print(process_id(), process_id() == process_id(), ok, flush=True)
    os._exit(0)
os.waitpid(child, 0)
print(parent_id, process_id() == parent_id, child, flush=True)
"""


def test_a_forked_process_gets_its_own_thread_and_process_id():
    """After gunicorn's fork (here in a fresh interpreter with no other threads): the animation
    thread is started again in the child, and the child's process id is new."""
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "-c", FORK_CHECK], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    (child_id, child_stable, shown), (parent_id, parent_kept, child_pid) = (
        line.split() for line in done.stdout.splitlines())
    assert (child_stable, shown, parent_kept) == ("True", "True", "True")
    assert child_id != parent_id and child_id.split(":")[1] == child_pid
