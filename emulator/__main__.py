"""`python -m emulator`: run the LINE emulator until SIGINT or SIGTERM.

Environment: LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN (required), EMULATOR_HOST
(127.0.0.1), EMULATOR_PORT (8001), EMULATOR_WEBHOOK_URL (http://127.0.0.1:8000/callback).
"""

import logging
import os
import signal
import sys
import threading

from emulator.server import EmulatorServer

log = logging.getLogger("emulator")


def settings_from(environ):
    """The server's arguments from the environment; SystemExit names a missing variable."""
    missing = [name for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")
               if not environ.get(name)]
    if missing:
        raise SystemExit(f"emulator: set {' and '.join(missing)} in the environment")
    port = environ.get("EMULATOR_PORT", "8001")
    if not port.isdigit():
        raise SystemExit(f"emulator: EMULATOR_PORT must be a port number, not {port!r}")
    return {
        "channel_secret": environ["LINE_CHANNEL_SECRET"],
        "access_token": environ["LINE_CHANNEL_ACCESS_TOKEN"],
        "webhook_url": environ.get("EMULATOR_WEBHOOK_URL", "http://127.0.0.1:8000/callback"),
        "host": environ.get("EMULATOR_HOST", "127.0.0.1"),
        "port": int(port),
    }


def main(environ=os.environ):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    server = EmulatorServer(**settings_from(environ))
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    server.start()
    log.info("LINE emulator on %s (simulator page %s/), webhooks to %s",
             server.url, server.url, server.webhook_url)
    stopping.wait()
    server.stop()
    log.info("LINE emulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
