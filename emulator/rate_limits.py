"""Per-endpoint rate limits over a sliding window, as LINE enforces them."""

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most `requests` accepted requests in any window of `per_s` seconds."""

    requests: float
    per_s: float = 1.0

    @classmethod
    def from_json(cls, value):
        """A limit from `N` (per second) or `{"requests": N, "per_s": S}`; None for no limit."""
        if value is None:
            return None
        if isinstance(value, dict):
            try:
                limit = cls(float(value["requests"]), float(value.get("per_s", 1)))
            except (KeyError, TypeError, ValueError):
                raise ValueError("a rate limit object is {\"requests\": N, \"per_s\": S}") from None
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            limit = cls(float(value))
        else:
            raise ValueError("a rate limit is a number per second or {requests, per_s}")
        if limit.requests < 0 or limit.per_s <= 0:
            raise ValueError("a rate limit needs requests >= 0 and per_s > 0")
        return limit

    def to_json(self):
        requests, per_s = _plain(self.requests), _plain(self.per_s)
        return requests if per_s == 1 else {"requests": requests, "per_s": per_s}


def _plain(number):
    return int(number) if float(number).is_integer() else number


# LINE-PLATFORM.md; endpoints not listed are not limited.
DEFAULT_LIMITS = {
    "/v2/bot/message/reply": Limit(2000),
    "/v2/bot/message/push": Limit(2000),
    "/v2/bot/message/multicast": Limit(200),
    "/v2/bot/message/broadcast": Limit(60, 3600),
    "/v2/bot/message/narrowcast": Limit(60, 3600),
    "/v2/bot/chat/loading/start": Limit(100),
    "/v2/bot/richmenu": Limit(100, 3600),
}


class RateLimiter:
    """Remembers when each path accepted requests; not thread-safe (callers hold the lock)."""

    def __init__(self):
        self._accepted = {}

    def allow(self, path, limit, now):
        """Whether a request to `path` at `now` stays within `limit`; counts it if so."""
        if limit is None:
            return True
        times = self._accepted.setdefault(path, deque())
        oldest_kept = now - limit.per_s
        while times and times[0] <= oldest_kept:
            times.popleft()
        if len(times) >= limit.requests:
            return False
        times.append(now)
        return True
