"""A small client for the emulator's control API (`/_sim/...`)."""

from __future__ import annotations

import json
import time
from typing import Any

import urllib3


class SimClient:
    """`wait_for_answers=True` for a bot that answers after acknowledging the webhook (worker
    mode, as in `make demo` and production): each thing the user sends then waits until the bot's
    answer has arrived (at most `answer_timeout_s`), as a resident waits before tapping again."""

    def __init__(self, base_url: str, wait_for_answers: bool = False, answer_timeout_s: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = urllib3.PoolManager(maxsize=16, retries=False, timeout=urllib3.Timeout(total=30))
        self.wait_for_answers, self.answer_timeout_s = wait_for_answers, answer_timeout_s

    def request(self, method: str, path: str, payload: Any = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        response = self._http.request(
            method, self.base_url + path, body=body, headers={"Content-Type": "application/json"}
        )
        if response.status >= 400:
            raise AssertionError(f"{method} {path} -> {response.status}: {response.data[:300]!r}")
        return json.loads(response.data) if response.data else None

    def new_user(self, display_name: str = "テスト太郎") -> str:
        return self.request("POST", "/_sim/users", {"display_name": display_name})["user_id"]

    def _send(self, user_id: str, path: str, payload: dict[str, Any]) -> int:
        before = len(self.inbox(user_id)) if self.wait_for_answers else 0
        status = self.request("POST", f"/_sim/users/{user_id}/{path}", payload)["status"]
        if self.wait_for_answers and status == 200:
            self.wait_for_inbox(user_id, before + 1, self.answer_timeout_s)
        return status

    def follow(self, user_id: str) -> int:
        return self._send(user_id, "follow", {})

    def unfollow(self, user_id: str) -> int:
        return self.request("POST", f"/_sim/users/{user_id}/unfollow", {})["status"]

    def text(self, user_id: str, text: str) -> int:
        return self._send(user_id, "text", {"text": text})

    def postback(self, user_id: str, data: str, params: dict[str, Any] | None = None) -> int:
        payload: dict[str, Any] = {"data": data}
        if params:
            payload["params"] = params
        return self._send(user_id, "postback", payload)

    def inbox(self, user_id: str) -> list[dict[str, Any]]:
        return self.request("GET", f"/_sim/users/{user_id}/inbox")

    def texts(self, user_id: str) -> list[str]:
        """The text of every message the user received (alt text for Flex), oldest first."""
        return [m["message"].get("text") or m["message"].get("altText", "") for m in self.inbox(user_id)]

    def last_quick_replies(self, user_id: str) -> list[dict[str, Any]]:
        """The actions of the quick-reply buttons the user sees now."""
        inbox = self.inbox(user_id)
        if not inbox:
            return []
        items = (inbox[-1]["message"].get("quickReply") or {}).get("items", [])
        return [item["action"] for item in items]

    def tap(self, user_id: str, label: str) -> int:
        """Tap the quick-reply button whose label contains `label`."""
        for action in self.last_quick_replies(user_id):
            if label in action["label"]:
                if action["type"] == "postback":
                    return self.postback(user_id, action["data"])
                if action["type"] == "message":
                    return self.text(user_id, action["text"])
        raise AssertionError(f"no quick reply {label!r} in {self.last_quick_replies(user_id)}")

    def requests(self) -> list[dict[str, Any]]:
        return self.request("GET", "/_sim/requests")

    def faults(self, **rule: Any) -> None:
        self.request("POST", "/_sim/faults", rule)

    def clear_faults(self) -> None:
        self.request("DELETE", "/_sim/faults")

    def reset(self) -> None:
        self.request("POST", "/_sim/reset", {})

    def wait_for_inbox(self, user_id: str, count: int, timeout_s: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout_s
        while True:
            inbox = self.inbox(user_id)
            if len(inbox) >= count or time.monotonic() > deadline:
                return inbox
            time.sleep(0.05)
