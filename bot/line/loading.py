"""The '...' loading animation, shown only when an answer is late: one thread per process keeps
the deadlines (no timer thread per event)."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable

Show = Callable[[], None]


class LateAnswerAnimations:
    """`start_after(delay_s, show)` calls `show` after `delay_s` unless `cancel(handle)` came first."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Show]] = []
        self._ids = itertools.count()
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def start_after(self, delay_s: float, show: Show) -> int:
        handle = next(self._ids)
        deadline = time.monotonic() + delay_s
        with self._ready:
            self._ensure_thread()
            heapq.heappush(self._heap, (deadline, handle, show))
            if self._heap[0][1] == handle:  # sooner than the one the thread waits for: wake it
                self._ready.notify()
        return handle

    def cancel(self, handle: int) -> None:
        """Forget the animation: out of the heap at once, so the thread does not wake for it (it
        wakes at most once more, at the deadline it was waiting for, and waits for the next)."""
        with self._ready:
            for index, entry in enumerate(self._heap):
                if entry[1] == handle:
                    last = self._heap.pop()
                    if index < len(self._heap):
                        self._heap[index] = last
                        heapq.heapify(self._heap)
                    return

    def _ensure_thread(self) -> None:
        # None yet, or inherited through a fork (a parent's thread is not alive in the child);
        # no getpid() system call per animation.
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="loading-animations", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._ready.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                _, _handle, show = heapq.heappop(self._heap)
            show()  # the gateway's call: failures are harmless and logged there


animations = LateAnswerAnimations()
