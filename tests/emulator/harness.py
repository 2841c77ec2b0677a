"""What the emulator tests drive it with: the control API client and a bot stand-in that
receives the emulator's signed webhooks."""

import json
import threading
import urllib.error
import urllib.request

from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from emulator.server import QuietRequestHandler
from tests.emulator.conformance import TALLY, webhook_problems

CHANNEL_SECRET = "emulator-test-secret-0123456789abcdef"
ACCESS_TOKEN = "emulator-test-access-token"

no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Control:
    """The emulator's control API (`/_sim/...`), as tests and the simulator page use it."""

    def __init__(self, base_url):
        self.base_url = base_url

    def call(self, method, path, payload=None, expect=200):
        status, body = self.raw(method, path, payload)
        assert status == expect, f"{method} {path} -> {status}: {body!r}"
        return body

    def raw(self, method, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with no_proxy.open(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def new_user(self, display_name="美祢 花子", follow=True):
        user_id = self.call("POST", "/_sim/users", {"display_name": display_name})["user_id"]
        if follow:
            self.call("POST", f"/_sim/users/{user_id}/follow", {})
        return user_id

    def act(self, user_id, action, payload=None):
        return self.call("POST", f"/_sim/users/{user_id}/{action}", payload or {})

    def inbox(self, user_id):
        return self.call("GET", f"/_sim/users/{user_id}/inbox")

    def config(self, **settings):
        return self.call("POST", "/_sim/config", settings)


class BotStandIn:
    """A webhook receiver that checks LINE's signature like a bot and records what came in.

    `on_event(event)` runs while the emulator waits for the answer, as a real bot replies.
    """

    def __init__(self, channel_secret):
        self.parser = WebhookParser(channel_secret)
        self.bodies = []  # the raw JSON bodies, as dicts
        self.spec_problems = []  # how bodies broke webhook.yml (the `bot` fixture checks)
        self.events = []  # parsed by the SDK
        self.on_event = None
        self.status = 200
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True,
                                   request_handler=QuietRequestHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/callback"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def clear(self):
        self.bodies.clear()
        self.events.clear()
        self.spec_problems.clear()
        self.on_event = None
        self.status = 200

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @Request.application
    def _wsgi(self, request):
        body = request.get_data(as_text=True)
        try:
            events = self.parser.parse(body, request.headers.get("x-line-signature", ""))
        except InvalidSignatureError:
            return Response("bad signature", status=400)
        self.bodies.append(json.loads(body))
        self.spec_problems.extend(webhook_problems(self.bodies[-1]))
        TALLY["checks"] += 1
        self.events.extend(events)
        for event in events:
            if self.on_event is not None:
                self.on_event(event)
        return Response("OK", status=self.status)
