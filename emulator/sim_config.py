"""The knobs tests turn through `/_sim/config`: quota, rate limits, reply-token lifetime."""

from dataclasses import dataclass, field

from emulator.rate_limits import DEFAULT_LIMITS, Limit


@dataclass
class SimConfig:
    """Simulation settings; `/_sim/reset` goes back to these defaults."""

    monthly_quota: int | None = None
    rate_limits: dict = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    reply_token_ttl_s: float = 60.0

    def to_json(self):
        return {
            "monthly_quota": self.monthly_quota,
            "rate_limits": {path: limit.to_json() for path, limit in self.rate_limits.items()},
            "reply_token_ttl_s": self.reply_token_ttl_s,
        }

    def update(self, body):
        """Apply a partial update; a rate limit set to null removes it. Raises ValueError."""
        changes = {}
        if "monthly_quota" in body:
            quota = body["monthly_quota"]
            if quota is not None and (not isinstance(quota, int) or isinstance(quota, bool) or quota < 0):
                raise ValueError("monthly_quota must be a non-negative integer or null")
            changes["monthly_quota"] = quota
        if "reply_token_ttl_s" in body:
            ttl = body["reply_token_ttl_s"]
            if not isinstance(ttl, (int, float)) or isinstance(ttl, bool) or ttl < 0:
                raise ValueError("reply_token_ttl_s must be a non-negative number")
            changes["reply_token_ttl_s"] = float(ttl)
        new_limits = body.get("rate_limits") or {}
        if not isinstance(new_limits, dict):
            raise ValueError("rate_limits must map paths to limits")
        limits = dict(self.rate_limits)
        for path, value in new_limits.items():
            limit = Limit.from_json(value)
            if limit is None:
                limits.pop(path, None)
            else:
                limits[path] = limit
        # Validate everything before changing anything.
        self.rate_limits = limits
        for name, value in changes.items():
            setattr(self, name, value)
