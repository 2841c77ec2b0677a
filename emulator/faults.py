"""Injected failures: error statuses and delays on chosen LINE API paths.

A rule fires with probability `rate`. "before" fails without processing the request; "after"
processes it (delivers, stores the retry key, consumes quota) and then answers the fault status,
as when LINE accepted a send but the answer was lost. A rule without a status only adds delay.
"""

import fnmatch
import random
from dataclasses import asdict, dataclass

WHEN = ("before", "after", "either")

FAULT_MESSAGES = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


@dataclass(frozen=True)
class FaultRule:
    status: int | None = None
    rate: float = 1.0
    delay_s: float = 0.0
    when: str = "before"
    paths: tuple | None = None  # None: every LINE API path; entries may use * wildcards

    @classmethod
    def from_json(cls, body):
        """A rule from the `/_sim/faults` body; raises ValueError when it makes no sense."""
        status = body.get("status")
        if status is not None and (not isinstance(status, int) or not 400 <= status <= 599):
            raise ValueError("status must be a 4xx or 5xx code")
        rate = body.get("rate", 1.0)
        delay_s = body.get("delay_s", 0)
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if not isinstance(delay_s, (int, float)) or delay_s < 0:
            raise ValueError("delay_s must be a non-negative number")
        when = body.get("when", "before")
        if when not in WHEN:
            raise ValueError(f"when must be one of {', '.join(WHEN)}")
        paths = body.get("paths")
        if paths is not None:
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise ValueError("paths must be a list of paths")
            paths = tuple(paths)
        if status is None and not delay_s:
            raise ValueError("a fault needs a status, a delay_s, or both")
        return cls(status, float(rate), float(delay_s), when, paths)

    def to_json(self):
        body = asdict(self)
        body["paths"] = list(self.paths) if self.paths is not None else None
        return body

    def applies_to(self, path):
        return self.paths is None or any(fnmatch.fnmatchcase(path, p) for p in self.paths)


@dataclass(frozen=True)
class FiredFault:
    """A rule that fired for one request, with "either" resolved to before or after."""

    rule: FaultRule
    when: str


def pick_fault(rules, path, rng=random):
    """The first rule for `path` that fires this time, or None."""
    for rule in rules:
        if rule.applies_to(path) and rng.random() < rule.rate:
            when = rule.when if rule.when != "either" else rng.choice(("before", "after"))
            return FiredFault(rule, when)
    return None


def fault_message(status):
    return FAULT_MESSAGES.get(status, "Injected fault")
