"""The webhook benchmark's load generator (a process of its own): signed LINE webhooks, one event
per request, in a closed loop of `--concurrency` keep-alive connections.

    python bench/webhook_load.py --url http://127.0.0.1:8000/callback --secret S \\
        --concurrency 32 --warmup 2 --seconds 10 --out events.json

The mix: 80% residents' questions (the FAQ seed's questions and keywords, varied as people type
them), 10% postbacks the bot knows (`action=notices`, `classes`, `menu`), 10% follows from new
users. Questions and postbacks come from a pool of 5,000 user ids. Every event has a new
`webhookEventId` and reply token. Writes, per event: reply token, user id, kind, the monotonic
times it was sent and answered, and the HTTP status (0: no answer); and the measured window.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import hmac
import http.client
import json
import os
import random
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
POSTBACKS = ("action=notices", "action=classes", "action=menu")
DESTINATION = "U" + hashlib.md5(b"mine-city-bench-bot").hexdigest()
POOL_SIZE = 5_000


def event_id() -> str:
    """A ULID-like id: 48 bits of milliseconds and 80 random bits in Crockford base32."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def pool_user(index: int) -> str:
    return "U" + hashlib.md5(f"bench-resident-{index}".encode()).hexdigest()


def faq_questions(csv_path: Path) -> list[str]:
    """What residents type: the seed's questions, some shortened, some politer, and keywords."""
    with csv_path.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source))
    questions: list[str] = []
    for row in rows:
        question = row["question"].strip()
        bare = question.rstrip("？?。")
        questions += [question, f"すみません、{question}", f"{bare}を教えてください",
                      bare.replace("ですか", "").replace("ますか", "") + "？"]
        for keyword in filter(None, (row.get("keywords") or "").split("|")[:2]):
            questions += [f"{keyword}について知りたい", f"{keyword}は？"]
    return questions


class Mix:
    """Builds the next event: 80% question, 10% postback, 10% follow from a new user."""

    def __init__(self, questions: list[str], seed: int) -> None:
        self.questions = questions
        self.random = random.Random(seed)
        self.run_tag = uuid.uuid4().hex[:8]
        self.follows = 0

    def next_event(self) -> tuple[str, dict]:
        roll = self.random.random()
        common = {"mode": "active", "timestamp": int(time.time() * 1000), "webhookEventId": event_id(),
                  "deliveryContext": {"isRedelivery": False}, "replyToken": uuid.uuid4().hex}
        if roll < 0.1:
            self.follows += 1
            user = "U" + hashlib.md5(f"bench-new-{self.run_tag}-{self.follows}".encode()).hexdigest()
            return "follow", {"type": "follow", **common, "source": {"type": "user", "userId": user},
                              "follow": {"isUnblocked": False}}
        user = pool_user(self.random.randrange(POOL_SIZE))
        source = {"type": "user", "userId": user}
        if roll < 0.2:
            return "postback", {"type": "postback", **common, "source": source,
                                "postback": {"data": self.random.choice(POSTBACKS)}}
        message = {"type": "text", "id": str(self.random.randrange(10**17, 10**18)),
                   "text": self.random.choice(self.questions), "quoteToken": uuid.uuid4().hex}
        return "text", {"type": "message", **common, "source": source, "message": message}


def sign(secret: bytes, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()


def closed_loop(url: str, secret: bytes, mix: Mix, stop_at: float, records: list) -> None:
    """Send one event, wait for the webhook's answer, repeat until `stop_at` (monotonic)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while time.monotonic() < stop_at:
        kind, event = mix.next_event()
        body = json.dumps({"destination": DESTINATION, "events": [event]}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Line-Signature": sign(secret, body),
                   "User-Agent": "LineBotWebhook/2.0"}
        sent = time.monotonic()
        try:
            connection.request("POST", parts.path, body, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        records.append((event["replyToken"], event["source"]["userId"], kind, sent, time.monotonic(), status))
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--faq", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    questions = faq_questions(args.faq)
    start = time.monotonic()
    window = (start + args.warmup, start + args.warmup + args.seconds)
    records: list = []  # list.append is atomic under the GIL
    threads = [threading.Thread(target=closed_loop, daemon=True,
                                args=(args.url, args.secret.encode(), Mix(questions, args.seed * 1000 + n),
                                      window[1], records))
               for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=window[1] - time.monotonic() + 40)  # a request's timeout is 30 s
    args.out.write_text(json.dumps({"window": window, "events": list(records), "cpu_s": time.process_time()}))


if __name__ == "__main__":
    main()
