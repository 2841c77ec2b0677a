"""Item 11: `make demo` started, used (a conversation, a console page) and stopped with Ctrl-C
(SIGINT to its process group, as a terminal sends it) three times in a row: it stops within 10 s
and the ports are free each time; two demos on different ports run side by side."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import urllib3

from tests.support.console import csrf_from
from tests.support.sim import SimClient
from tests.test_demo import free_port

ROOT = Path(__file__).resolve().parents[2]
STOP_WITHIN_S = 10


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Demo:
    def __init__(self, tmp_path: Path, bot_port: int, emulator_port: int) -> None:
        self.bot_port, self.emulator_port, self.log = bot_port, emulator_port, tmp_path / f"demo-{bot_port}.log"
        self.env = dict(os.environ, BOT_PORT=str(bot_port), EMULATOR_PORT=str(emulator_port),
                        DATABASE_URL=f"sqlite:///{tmp_path / f'demo-{bot_port}.sqlite3'}",
                        DEMO_LOGIN_FILE=str(tmp_path / f"login-{bot_port}.txt"))
        for name in ("APP_ENV", "LINE_API_BASE", "TEST_DATABASE_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            self.env.pop(name, None)

    def start(self) -> None:
        with self.log.open("w") as log:  # its own session: Ctrl-C goes to make and what it runs
            self.process = subprocess.Popen(["make", "-o", ".venv/.runtime-installed", "demo"], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while "demo running" not in self.log.read_text():
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text()[-2000:]
            time.sleep(0.3)

    def use(self) -> None:
        sim = SimClient(f"http://127.0.0.1:{self.emulator_port}", wait_for_answers=True)  # worker mode
        user = sim.new_user("デモ 利用者")
        assert sim.follow(user) == 200
        assert sim.tap(user, "秋芳") == 200
        assert sim.text(user, "ごみの日") == 200
        http = urllib3.PoolManager(timeout=10)
        base = f"http://127.0.0.1:{self.bot_port}"
        login_page = http.request("GET", f"{base}/console/login")
        cookie = login_page.headers["Set-Cookie"].split(";")[0]
        name, password = Path(self.env["DEMO_LOGIN_FILE"]).read_text().split()
        answer = http.request("POST", f"{base}/console/login", redirect=False, headers={"Cookie": cookie},
                              fields={"csrf_token": csrf_from(login_page.data.decode()), "login_name": name,
                                      "password": password}, encode_multipart=False)
        assert answer.status == 302, answer.data[:300]
        cookie = answer.headers["Set-Cookie"].split(";")[0]
        for page in ("/console", "/console/notices", "/console/classes", "/console/faq"):
            assert http.request("GET", base + page, headers={"Cookie": cookie}).status == 200, page

    def interrupt(self) -> float:
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(STOP_WITHIN_S + 5)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
        return time.monotonic() - started


@pytest.mark.slow
def test_ctrl_c_stops_the_demo_within_10_seconds_three_times_in_a_row_beside_another_demo(tmp_path):
    """About 100 s: three full starts of the demo (migrations, FAQ import, rich menu) are the point."""
    demo, beside = Demo(tmp_path, free_port(), free_port()), Demo(tmp_path, free_port(), free_port())
    for run in range(3):
        demo.start()
        if run == 1:
            beside.start()  # a second demo on other ports, at the same time (gunicorn's control socket)
            beside.use()
        demo.use()
        took = demo.interrupt()
        assert took < STOP_WITHIN_S, (run, took, demo.log.read_text()[-2000:])
        assert "demo stopped" in demo.log.read_text()
        assert port_is_free(demo.bot_port) and port_is_free(demo.emulator_port), run
        print(f"\n[demo] run {run + 1}: stopped in {took:.1f}s")
        if run == 1:
            assert beside.interrupt() < STOP_WITHIN_S
            assert port_is_free(beside.bot_port) and "Connection in use" not in beside.log.read_text()
    assert "control socket" not in demo.log.read_text().lower()
