"""The bot as production runs it: `gunicorn 'bot:create_app()'` (2 workers, 4 threads, like the
Procfile) in worker mode, against the emulator, on the test's database."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3

from tests.conftest import TEST_ACCESS_TOKEN, TEST_CHANNEL_SECRET
from tests.faq_content.conftest import import_seed

ROOT = Path(__file__).resolve().parents[2]
CLAIM_TTL_S = 3.0  # a killed worker's events are taken over after this


class Gunicorn:
    def __init__(self, database_url: str, line_api_base: str, log_path: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = dict(
            os.environ, APP_ENV="test", WEBHOOK_PROCESSING="worker", WEBHOOK_CLAIM_TTL_S=str(CLAIM_TTL_S),
            DATABASE_URL=database_url, LINE_API_BASE=line_api_base, LINE_CHANNEL_SECRET=TEST_CHANNEL_SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=TEST_ACCESS_TOKEN, SECRET_KEY="test-secret-key", PYTHONUNBUFFERED="1",
        )
        self.log_path = log_path
        command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{self.port}",
                   "--workers", "2", "--threads", "4", "--timeout", "30", "bot:create_app()"]
        self.proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log_path.open("w"), stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        http = urllib3.PoolManager(retries=False, timeout=2.0)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if http.request("GET", self.url + "/healthz").status == 200:
                    return
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start: {self.log_path.read_text()[-2000:]}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def serving_worker_pids(self) -> list[int]:
        """The workers that have booted and started their event worker. (A worker killed while it
        still imports the app, ~4 s on a slow machine, tests only gunicorn's restarts; killed
        faster than they boot, no worker would ever serve.)"""
        log = self.log_path.read_text(errors="replace")
        return [pid for pid in self.worker_pids() if re.search(rf"event worker \S*:{pid}:\w+ started", log)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def gunicorn_bot(clean_database, emulator, sim, tmp_path) -> Iterator[Gunicorn]:
    """The bot under gunicorn with the FAQ seed content, the emulator sending its webhooks there."""
    import_seed(clean_database)
    server = Gunicorn(clean_database, emulator.url, tmp_path / "gunicorn.log")
    try:
        server.wait_ready()
        emulator.webhook_url = f"{server.url}/callback"
        yield server
    finally:
        server.stop()
