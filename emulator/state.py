"""The emulated channel: simulated users with their inboxes and transcripts, and LINE's memory.

One `ChannelState` per emulator, guarded by one lock. Deliveries store a single shared
`Delivery` (the request's message list by reference) in each recipient's log, so a multicast to
500 users costs 500 appends and no copies.
"""

import hashlib
import itertools
import random
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from flask import current_app

T = TypeVar("T")

from emulator.line_errors import LineApiError
from emulator.rate_limits import RateLimiter
from emulator.richmenu_store import RichMenuStore
from emulator.sim_config import SimConfig
from emulator.tokens import ReplyTokens, RetryKeys

REQUEST_LOG_SIZE = 100_000


JST = timezone(timedelta(hours=9))


def jst_date():
    """Today in Japan as LINE writes dates in statistics (`yyyyMMdd`, UTC+9)."""
    return datetime.now(JST).strftime("%Y%m%d")


@dataclass(slots=True)
class Content:
    """The bytes of an image, video, audio or file a user sent."""

    content_type: str
    data: bytes
    kind: str  # image, video, audio or file


def iso_now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class Delivery:
    """Messages the bot sent in one request, shared by all its recipients."""

    via: str  # reply, push, multicast, broadcast or narrowcast
    messages: list
    at: str


@dataclass(slots=True)
class UserAction:
    """A webhook event a simulated user caused."""

    event: dict
    display_text: str | None
    at: str


@dataclass(slots=True)
class SimUser:
    user_id: str
    display_name: str
    following: bool = False
    unfollowed_before: bool = False
    log: list = field(default_factory=list)  # Delivery and UserAction, oldest first

    def inbox(self):
        return [{"via": d.via, "message": m, "at": d.at}
                for d in self.log if isinstance(d, Delivery) for m in d.messages]

    def transcript(self):
        lines = []
        for entry in self.log:
            if isinstance(entry, UserAction):
                lines.append({"from": "user", "event": entry.event,
                              "display_text": entry.display_text, "at": entry.at})
            else:
                lines.extend({"from": "bot", "via": entry.via, "message": m, "at": entry.at}
                             for m in entry.messages)
        return lines


class ChannelState:
    """The emulated LINE platform as seen by one channel."""

    def __init__(self, channel_secret, access_token, webhook_url=None):
        self.lock = threading.RLock()
        self.channel_secret = channel_secret
        self.access_token = access_token
        self.webhook_url = webhook_url  # wiring, not simulation state: reset keeps it
        self.bot_user_id = "U" + hashlib.sha256(channel_secret.encode()).hexdigest()[:32]
        self._message_ids = itertools.count(random.randrange(10**17, 5 * 10**17))
        self.reset()

    def reset(self):
        """Forget everything simulated and restore the default configuration."""
        with self.lock:
            self.config = SimConfig()
            self.users = {}
            self.reply_tokens = ReplyTokens()
            self.retry_keys = RetryKeys()
            self.rate_limiter = RateLimiter()
            self.faults = []
            self.redelivery_rate = 0.0
            self.quota_used = 0
            self.narrowcasts = {}
            self.richmenus = RichMenuStore()
            self.request_log = deque(maxlen=REQUEST_LOG_SIZE)
            self.contents = {}  # message id -> Content a user sent (image, video, audio, file)
            self.read_tokens = {}  # markAsReadToken -> user id, until the bot marks it read
            self.sent_counts = Counter()  # (via, JST yyyyMMdd) -> messages delivered

    def add_user(self, display_name, following=False):
        with self.lock:
            user = SimUser("U" + secrets.token_hex(16), display_name, following)
            self.users[user.user_id] = user
            return user

    def follower(self, user_id):
        """The user if they currently follow the account, else None."""
        user = self.users.get(user_id)
        return user if user is not None and user.following else None

    def followers(self):
        return [user for user in self.users.values() if user.following]

    def consume_quota(self, recipients):
        """Count a send against the monthly quota, or refuse it whole with LINE's 429."""
        quota = self.config.monthly_quota
        if quota is not None and self.quota_used + recipients > quota:
            raise LineApiError(429, "You have reached your monthly limit.")
        self.quota_used += recipients

    def remaining_quota(self):
        quota = self.config.monthly_quota
        return None if quota is None else max(quota - self.quota_used, 0)

    def deliver(self, users, via, messages):
        delivery = Delivery(via, messages, iso_now())
        for user in users:
            user.log.append(delivery)
        self.sent_counts[via, jst_date()] += len(users) * len(messages)

    def sent_messages(self, count):
        """The `sentMessages` LINE answers to a reply or push of `count` messages."""
        return [{"id": str(next(self._message_ids)), "quoteToken": secrets.token_urlsafe(24)}
                for _ in range(count)]

    def issue_reply_token(self, user_id):
        return self.reply_tokens.issue(user_id, time.monotonic(), self.config.reply_token_ttl_s)

    def redeem_reply_token(self, token):
        return self.reply_tokens.redeem(token, time.monotonic(), self.config.reply_token_ttl_s)


def current_state() -> ChannelState:
    return current_app.extensions["line_emulator"]


def found(find: Callable[[ChannelState], T | None], missing: Exception) -> T:
    """What `find` reads from the channel state under its lock; `missing` is raised for None."""
    state = current_state()
    with state.lock:
        value = find(state)
    if value is None:
        raise missing
    return value
