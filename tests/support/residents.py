"""A resident in the emulator sending what LINE's app sends (a location, a photo) and going
through a damage report, for the shelters and damage-report tests."""

from __future__ import annotations

import json
import urllib.request


def send_location(sim, user: str, latitude: float, longitude: float, title: str | None = None) -> int:
    payload: dict = {"latitude": latitude, "longitude": longitude}
    if title:
        payload["title"] = title
    return sim.request("POST", f"/_sim/users/{user}/location", payload)["status"]


def send_photo(sim, user: str, data: bytes, content_type: str = "image/png") -> int:
    """The resident sends a photo (the emulator keeps its bytes for the content API)."""
    request = urllib.request.Request(f"{sim.base_url}/_sim/users/{user}/image", data=data, method="POST",
                                     headers={"Content-Type": content_type})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30) as answer:
        return json.loads(answer.read())["status"]


def report_damage(sim, user: str, category: str = "倒木", photo: bytes | None = None,
                  location: tuple[float, float, str] | None = None, description: str = "道路に木が倒れています") -> str:
    """Go through the whole report in LINE; the last text the resident received (the receipt)."""
    sim.text(user, "被害を報告")
    sim.tap(user, category)
    if photo is not None:
        assert send_photo(sim, user, photo) == 200
    else:
        sim.tap(user, "写真なし")
    if location is not None:
        latitude, longitude, title = location
        assert send_location(sim, user, latitude, longitude, title) == 200
    else:
        sim.tap(user, "位置情報なし")
    sim.text(user, description)
    sim.tap(user, "報告する")
    return sim.texts(user)[-1]
