"""The processes staff and the platform start, run by tests: `python -m scheduler` and
`python -m bot ...`, each with the environment built here, against the test's database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_CHANNEL_SECRET = "test-channel-secret-0123456789"
TEST_ACCESS_TOKEN = "test-access-token-0123456789"
UNREACHABLE_LINE = "http://127.0.0.1:9"  # for commands that must never reach LINE


def process_env(database_url: str, line_api_base: str = UNREACHABLE_LINE, **extra: str) -> dict[str, str]:
    """The environment of a scheduler or command process: test settings, a short scheduler lease."""
    return dict(
        os.environ,
        APP_ENV="test",
        DATABASE_URL=database_url,
        LINE_API_BASE=line_api_base,
        LINE_CHANNEL_SECRET=TEST_CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN=TEST_ACCESS_TOKEN,
        SECRET_KEY="test",
        SCHEDULER_LEASE_TTL_S="2",
        PYTHONUNBUFFERED="1",
        **extra,
    )


def start_scheduler(database_url: str, line_api_base: str, log_path: Path, **extra_env: str) -> subprocess.Popen:
    """`python -m scheduler` in the background, its output written to `log_path`."""
    log = log_path.open("w")
    return subprocess.Popen([sys.executable, "-m", "scheduler"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=process_env(database_url, line_api_base, **extra_env))


def run_cli(database_url: str, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """`python -m bot ...` as staff would type it, against the test database."""
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=process_env(database_url, **extra_env),
                          capture_output=True, text=True, timeout=60)


def wait_for(predicate: Callable[[], object], timeout_s: float = 60.0, every_s: float = 0.1) -> bool:
    """Poll `predicate` until it is true (True) or `timeout_s` has passed (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every_s)
    return False
