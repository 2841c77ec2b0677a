"""A stand-in for LINE's Messaging API that answers at once and records when answers arrive.

    python bench/line_standin.py --port 8765

One asyncio process with a minimal HTTP/1.1 keep-alive server (no framework, so that it is
never what a benchmark measures). It answers:

- reply (`/v2/bot/message/reply`): 200 with `sentMessages` (the SDK needs them); a reply token
  used a second time gets LINE's 400 "Invalid reply token" and is counted as a reuse;
- push (`/v2/bot/message/push`): 200 with `sentMessages`; a retry key seen before gets LINE's
  409 with `x-line-accepted-request-id`;
- loading animation: 202; profile: 200 with a display name; quota endpoints; anything else 200 {}.

For each accepted reply it records the reply token and the arrival time, for each push the `to`
and the arrival time, on `time.monotonic()` (CLOCK_MONOTONIC: one clock for every process on the
machine). `GET /_records` returns them as JSON, `POST /_reset` forgets them, `GET /_ping` answers.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time

SENT = itertools.count(1)


class Records:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.replies: list[tuple[str, float]] = []
        self.pushes: list[tuple[str, float]] = []
        self.reply_tokens: set[str] = set()
        self.retry_keys: set[str] = set()
        self.reply_token_reuses = 0
        self.requests: dict[str, int] = {}

    def as_json(self) -> bytes:
        return json.dumps({"replies": self.replies, "pushes": self.pushes,
                           "reply_token_reuses": self.reply_token_reuses, "requests": self.requests}).encode()


RECORDS = Records()


def sent_messages(count: int) -> bytes:
    return json.dumps({"sentMessages": [{"id": str(next(SENT)), "quoteToken": f"q{next(SENT)}"}
                                        for _ in range(max(count, 1))]}).encode()


def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes, dict[str, str]]:
    """Status, JSON body and extra headers for one request to the stand-in."""
    now = time.monotonic()
    path = path.split("?", 1)[0]
    RECORDS.requests[path] = RECORDS.requests.get(path, 0) + 1
    if path == "/v2/bot/message/reply":
        payload = json.loads(body)
        token = payload.get("replyToken", "")
        if token in RECORDS.reply_tokens:
            RECORDS.reply_token_reuses += 1
            return 400, b'{"message":"Invalid reply token"}', {}
        RECORDS.reply_tokens.add(token)
        RECORDS.replies.append((token, now))
        return 200, sent_messages(len(payload.get("messages", []))), {}
    if path == "/v2/bot/message/push":
        key = headers.get("x-line-retry-key")
        if key and key in RECORDS.retry_keys:
            return 409, b'{"message":"The retry key is already accepted"}', {"x-line-accepted-request-id": key}
        if key:
            RECORDS.retry_keys.add(key)
        payload = json.loads(body)
        RECORDS.pushes.append((payload.get("to", ""), now))
        return 200, sent_messages(len(payload.get("messages", []))), {}
    if path == "/v2/bot/chat/loading/start":
        return 202, b"{}", {}
    if path.startswith("/v2/bot/profile/"):
        user_id = path.rsplit("/", 1)[1]
        return 200, json.dumps({"displayName": "ベンチ利用者", "userId": user_id}).encode(), {}
    if path == "/v2/bot/message/quota":
        return 200, b'{"type":"limited","value":1000000}', {}
    if path == "/v2/bot/message/quota/consumption":
        return 200, b'{"totalUsage":0}', {}
    if path == "/_records" and method == "GET":
        return 200, RECORDS.as_json(), {}
    if path == "/_reset" and method == "POST":
        RECORDS.reset()
        return 200, b"{}", {}
    return 200, b"{}", {}


REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 409: "Conflict"}


async def serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _version = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", 0)))
            status, payload, extra = answer(method, path, headers, body)
            close = headers.get("connection", "").lower() == "close"
            response = [f"HTTP/1.1 {status} {REASONS.get(status, 'OK')}", "Content-Type: application/json",
                        f"Content-Length: {len(payload)}", f"x-line-request-id: r{next(SENT)}"]
            response += [f"{k}: {v}" for k, v in extra.items()]
            if close:
                response.append("Connection: close")
            writer.write(("\r\n".join(response) + "\r\n\r\n").encode("latin-1") + payload)
            if close:
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, ValueError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(serve_connection, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    try:
        asyncio.run(main(parser.parse_args().port))
    except KeyboardInterrupt:
        pass
