"""Reply tokens (single use, short-lived) and retry keys (kept 24 hours), as LINE keeps them.

Both keep insertion order, which is time order, so old entries are dropped from the front.
Not thread-safe: callers hold the channel lock.
"""

import secrets
from dataclasses import dataclass

RETRY_KEY_KEPT_S = 24 * 3600


class ReplyTokens:
    """Reply tokens issued with webhook events, each redeemable once within its lifetime."""

    def __init__(self):
        self._issued = {}  # token -> (user_id, issued_at)

    def issue(self, user_id, now, ttl_s):
        self._forget_expired(now, ttl_s)
        token = secrets.token_hex(16)
        self._issued[token] = (user_id, now)
        return token

    def redeem(self, token, now, ttl_s):
        """The user the token was issued for, or None if it is unknown, used or expired."""
        issued = self._issued.pop(token, None) if isinstance(token, str) else None
        if issued is None or now - issued[1] > ttl_s:
            return None
        return issued[0]

    def _forget_expired(self, now, ttl_s):
        # Keep at least a minute so that shortening the lifetime later still finds them expired.
        horizon = max(ttl_s, 60.0)
        while self._issued:
            token, (_, issued_at) = next(iter(self._issued.items()))
            if now - issued_at <= horizon:
                break
            del self._issued[token]


@dataclass(frozen=True)
class AcceptedRequest:
    """What LINE remembers about a request accepted with a retry key."""

    request_id: str
    sent_messages: list | None
    accepted_at: float


class RetryKeys:
    """Retry keys of accepted requests; a repeat within 24 hours is answered 409."""

    def __init__(self):
        self._accepted = {}

    def accepted(self, key, now):
        self._forget_expired(now)
        return self._accepted.get(key)

    def remember(self, key, request_id, sent_messages, now):
        self._accepted[key] = AcceptedRequest(request_id, sent_messages, now)

    def _forget_expired(self, now):
        while self._accepted:
            key, accepted = next(iter(self._accepted.items()))
            if now - accepted.accepted_at <= RETRY_KEY_KEPT_S:
                break
            del self._accepted[key]
