"""`make demo` (`python -m bot demo`): everything starts, a resident can chat, Ctrl-C stops it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.sim import SimClient

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_demo_runs_the_whole_system_and_stops_cleanly(tmp_path):
    bot_port, emulator_port = free_port(), free_port()
    env = dict(os.environ, BOT_PORT=str(bot_port), EMULATOR_PORT=str(emulator_port),
               DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    for name in ("APP_ENV", "LINE_API_BASE", "TEST_DATABASE_URL"):
        env.pop(name, None)
    log_path = tmp_path / "demo.log"
    with log_path.open("w") as log:
        demo = subprocess.Popen([sys.executable, "-m", "bot", "demo"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while "demo running" not in log_path.read_text() and time.monotonic() < deadline:
            assert demo.poll() is None, log_path.read_text()
            time.sleep(0.3)
        output = log_path.read_text()
        assert f"http://127.0.0.1:{emulator_port}/" in output and f"http://127.0.0.1:{bot_port}/console" in output

        sim = SimClient(f"http://127.0.0.1:{emulator_port}", wait_for_answers=True)  # worker mode
        user = sim.new_user("デモ 利用者")
        assert sim.follow(user) == 200
        assert "友だち追加していただき" in sim.texts(user)[0]
        assert sim.tap(user, "秋芳") == 200
        assert "「秋芳」に設定しました" in "".join(sim.texts(user))
        assert sim.text(user, "こんにちは") == 200

        demo.send_signal(signal.SIGTERM)
        assert demo.wait(30) == 0
        assert "demo stopped" in log_path.read_text()
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(10)
    private = log_path.read_text()
    assert "こんにちは" not in private  # residents' words never reach the logs
