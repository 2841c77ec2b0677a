"""The production shape on one machine: PostgreSQL, two gunicorn processes (the Procfile's `web`
command) on two ports behind a small round-robin proxy (the load balancer), two schedulers
(`python -m scheduler`, one active on the lease). Residents write and a notice goes to 5,000
friends; one web process (master and workers) and the active scheduler are SIGKILLed mid-way.
Each resident is answered once and each friend gets the notice once.

APP_ENV is `development` only because production refuses LINE_API_BASE (the emulator); the
rest is as production runs: PostgreSQL, gunicorn, worker mode, strong secrets, an https
PUBLIC_BASE_URL, JSON logs, Prometheus multiprocess mode."""

from __future__ import annotations

import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path

import pytest
import urllib3
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.db import Database
from bot.models import Friend, SchedulerLease
from emulator.state import Delivery
from tests.faq_content.conftest import import_seed
from tests.support.processes import TEST_ACCESS_TOKEN, TEST_CHANNEL_SECRET, run_cli, wait_for

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
FRIENDS = 5000
RESIDENTS = 200
QUESTION = "粗大ごみの出し方"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, line_api_base: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ, APP_ENV="development", DATABASE_URL=database_url, LINE_API_BASE=line_api_base,
        LINE_CHANNEL_SECRET=TEST_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN=TEST_ACCESS_TOKEN,
        SECRET_KEY=secrets.token_hex(32), PUBLIC_BASE_URL="https://line.city.example.jp", LOG_FORMAT="json",
        WEBHOOK_PROCESSING="worker", WEBHOOK_CLAIM_TTL_S="3", SCHEDULER_LEASE_TTL_S="2", DELIVERY_CLAIM_TTL_S="3",
        DELIVERY_CONCURRENCY="1", NOTICE_POLL_SECONDS="0.5", PYTHONUNBUFFERED="1", **extra,
    )


def procfile_command(name: str, port: int) -> list[str]:
    line = next(row for row in (ROOT / "Procfile").read_text().splitlines() if row.startswith(f"{name}:"))
    command = line.split(":", 1)[1].replace("${PORT:-8000}", str(port)).replace("${WEB_CONCURRENCY:-2}", "2")
    words = shlex.split(command)
    executable = str(Path(sys.executable).parent / "gunicorn") if words[0] == "gunicorn" else sys.executable
    return [executable, *words[1:]]


class Proc:
    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def kill_all(self) -> None:
        """SIGKILL the process and its children (a gunicorn master and its workers)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill_all()


class RoundRobin:
    """The load balancer: each request to the next backend; one that does not answer is skipped
    (a request lost in a killed process is sent again to the other: LINE's redelivery)."""

    def __init__(self, backends: list[str]) -> None:
        self.backends, self.turn = backends, count()
        http = urllib3.PoolManager(maxsize=64, retries=False, timeout=urllib3.Timeout(connect=1, read=10))
        balancer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "x-line-signature")}
                start = next(balancer.turn)
                for i in range(len(balancer.backends)):
                    backend = balancer.backends[(start + i) % len(balancer.backends)]
                    try:
                        answer = http.request("POST", backend + self.path, body=body, headers=headers)
                    except urllib3.exceptions.HTTPError:
                        continue
                    self.send_response(answer.status)
                    self.send_header("Content-Length", str(len(answer.data)))
                    self.end_headers()
                    self.wfile.write(answer.data)
                    return
                self.send_response(502)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def deliveries(emulator, user: str) -> list[Delivery]:
    with emulator.state.lock:
        return [entry for entry in emulator.state.users[user].log if isinstance(entry, Delivery)]


def ready(url: str) -> bool:
    try:
        return urllib3.request("GET", url + "/readyz", timeout=2, retries=False).status == 200
    except urllib3.exceptions.HTTPError:
        return False


def active_scheduler_pid(database: Database) -> int | None:
    with database.read_sessions() as session:
        holder = session.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == "scheduler"))
    return int(holder.split(":")[1]) if holder else None


def test_two_web_processes_and_two_schedulers_lose_and_repeat_nothing(clean_database, emulator, sim, tmp_path):
    if clean_database.startswith("sqlite"):
        pytest.skip("the production shape runs on PostgreSQL (TEST_DATABASE_URL)")
    import_seed(clean_database)
    friends = sim.request("POST", "/_sim/users/bulk", {"count": FRIENDS, "following": True})["user_ids"]
    residents = sim.request("POST", "/_sim/users/bulk", {"count": RESIDENTS, "following": True})["user_ids"]
    database = Database(clean_database)
    with database.transaction() as session:
        session.add_all([Friend(line_user_id=user, display_name="", area="mito") for user in friends])

    webs, schedulers = [], []
    try:
        for name in ("a", "b"):
            metrics_dir = tmp_path / f"metrics-{name}"
            metrics_dir.mkdir()
            env = production_env(clean_database, emulator.url, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
            port = free_port()
            webs.append((f"http://127.0.0.1:{port}", Proc(procfile_command("web", port), env, tmp_path / f"web-{name}.log")))
        for name in ("1", "2"):
            env = production_env(clean_database, emulator.url)
            schedulers.append(Proc(procfile_command("scheduler", 0), env, tmp_path / f"scheduler-{name}.log"))
        assert wait_for(lambda: all(ready(url) for url, _ in webs), 30), (tmp_path / "web-a.log").read_text()[-2000:]
        balancer = RoundRobin([url for url, _ in webs])
        emulator.webhook_url = f"{balancer.url}/callback"
        assert wait_for(lambda: active_scheduler_pid(database) is not None, 20)

        sim.faults(delay_s=0.4, paths=["/v2/bot/message/multicast"])  # ten batches: time to kill mid-way
        sent = run_cli(clean_database, "notice", "send", "--title", "見本 お知らせ", "--body", "本文（見本）",
                       "--area", "美東")
        assert sent.returncode == 0, sent.stderr

        killed = threading.Event()

        def kill_mid_way() -> None:
            wait_for(lambda: len(sim.request("GET", "/_sim/requests?path=/v2/bot/message/multicast")) >= 2, 30)
            os.kill(active_scheduler_pid(database), signal.SIGKILL)
            webs[0][1].kill_all()
            killed.set()

        killer = threading.Thread(target=kill_mid_way, daemon=True)
        killer.start()
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda user: sim.text(user, QUESTION), residents))
        killer.join(40)
        assert killed.is_set(), "nothing was killed"
        assert set(statuses) == {200}, "the balancer sent every webhook to a live process"

        assert wait_for(lambda: all(deliveries(emulator, u) for u in residents), 60), "residents left unanswered"
        assert wait_for(lambda: all(deliveries(emulator, u) for u in friends), 90), "friends without the notice"
        time.sleep(4)  # a duplicate, if any, would arrive by now (claims expire after 3 s)
        twice = [u for u in residents + friends if len(deliveries(emulator, u)) != 1]
        assert twice == [], f"{len(twice)} got something other than exactly one message"

        survivor = webs[1][0]
        text = urllib3.request("GET", survivor + "/metrics", timeout=5).data.decode()
        handled = sum(s.value for f in text_string_to_metric_families(text) if f.name == "mine_line_webhook_events"
                      for s in f.samples if s.labels.get("outcome") == "handled" and s.name.endswith("_total"))
        assert handled >= RESIDENTS // 2, "the survivor's two workers' counters add up (multiprocess mode)"
        assert '"level": "INFO"' in (tmp_path / "web-b.log").read_text()
    finally:
        sim.clear_faults()
        for _url, web in webs:
            web.stop()
        for scheduler in schedulers:
            scheduler.stop()
        database.dispose()
