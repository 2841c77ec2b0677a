"""Capture the webhooks the emulator sends, with a tiny local receiver that answers 200."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@contextmanager
def capture_webhooks(emulator: Any) -> Iterator[list[dict[str, Any]]]:
    captured: list[dict[str, Any]] = []

    @Request.application
    def receive(request: Request) -> Response:
        captured.append(json.loads(request.get_data()))
        return Response("{}", content_type="application/json")

    server = make_server("127.0.0.1", 0, receive, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    previous = emulator.webhook_url
    emulator.webhook_url = f"http://127.0.0.1:{server.server_port}/callback"
    try:
        yield captured
    finally:
        emulator.webhook_url = previous
        server.shutdown()
        thread.join(5)
