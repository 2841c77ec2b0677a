"""Seat arithmetic, pure: what a new booking gets and what residents are told is left."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Allocation(enum.StrEnum):
    CONFIRMED = "confirmed"  # a seat is free
    WAITLISTED = "waitlisted"  # full, and the waitlist is open
    FULL = "full"  # full, and no waitlist


@dataclass(frozen=True)
class SeatCount:
    capacity: int
    confirmed: int
    waitlisted: int = 0

    @property
    def left(self) -> int:
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.left == 0


def allocate(seats: SeatCount, waitlist_open: bool) -> Allocation:
    """What one more booking gets, given the seats taken when the class row is locked."""
    if seats.confirmed < seats.capacity:
        return Allocation.CONFIRMED
    return Allocation.WAITLISTED if waitlist_open else Allocation.FULL


def promotions(seats: SeatCount) -> int:
    """How many people move up from the waitlist when seats are free (after a cancellation, or
    when staff raise the capacity)."""
    return min(seats.left, seats.waitlisted)
