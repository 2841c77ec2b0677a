"""Run the emulator in a background thread, for tests, benchmarks and `python -m emulator`.

    with EmulatorServer(channel_secret="...", access_token="...") as srv:
        Configuration(host=srv.url, access_token="...")
"""

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from emulator.app import create_app


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without one log line per request (benchmarks send thousands)."""

    def log_request(self, *args, **kwargs):
        pass


class EmulatorServer:
    """A LINE Messaging API emulator listening on `url`, sending webhooks to `webhook_url`."""

    def __init__(self, channel_secret, access_token, webhook_url=None, host="127.0.0.1", port=0):
        if not channel_secret or not access_token:
            raise ValueError("channel_secret and access_token are required")
        self.host = host
        self.port = port
        self.app = create_app(channel_secret, access_token, webhook_url)
        self.state = self.app.extensions["line_emulator"]
        self._server = None
        self._thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def webhook_url(self):
        return self.state.webhook_url

    @webhook_url.setter
    def webhook_url(self, url):
        self.state.webhook_url = url

    def start(self):
        """Listen and serve in a daemon thread; returns once the socket is listening."""
        self._server = make_server(self.host, self.port, self.app, threaded=True,
                                   request_handler=QuietRequestHandler)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name=f"line-emulator-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()
        self._server = self._thread = None

    def reset(self):
        """Forget everything simulated, as `POST /_sim/reset` does."""
        self.state.reset()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
