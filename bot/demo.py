"""`make demo`: the whole system on one machine, on SQLite, with the LINE emulator.

Starts the emulator, the web app (gunicorn) and the scheduler as child processes, prints
where to open them, and stops them all on Ctrl-C or SIGTERM, within STOP_WITHIN_S every time.

Each child runs in its own process group, so Ctrl-C in the terminal reaches only this launcher,
which then stops the children in order: SIGTERM to each group, and SIGKILL to any group still
there when the time is up (a gunicorn worker stuck in its thread pool's shutdown would otherwise
hold the port). gunicorn's control socket is off: by default every gunicorn of a user shares
~/.gunicorn/gunicorn.ctl, so two demos on different ports would collide."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bot.staff import cli as staff_cli
from bot.config import DEFAULT_SQLITE_PATH, DEVELOPMENT_DEFAULTS, PROJECT_ROOT

STOP_WITHIN_S = 10.0
KILL_MARGIN_S = 1.5
GRACEFUL_S = 3  # gunicorn: how long a worker may finish its requests after SIGTERM


DEMO_NOWHERE = "http://127.0.0.1:9/jma-feeds-not-set"


def demo_environment() -> dict[str, str]:
    bot_port = os.environ.get("BOT_PORT", "8000")
    emulator_port = os.environ.get("EMULATOR_PORT", "8001")
    env = dict(os.environ)
    env.setdefault("APP_ENV", "development")
    if env["APP_ENV"] == "production":
        raise SystemExit("make demo runs in development mode; unset APP_ENV=production")
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SECRET_KEY"):
        env.setdefault(name, DEVELOPMENT_DEFAULTS[name])
    env.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
    # JMA alerts run in the demo, but against feeds that point nowhere unless set (no calls to JMA
    # from a laptop by surprise): the job logs once that they cannot be read.
    env.setdefault("JMA_ENABLED", "1")
    env.setdefault("JMA_FEEDS", f"{DEMO_NOWHERE}/extra.xml,{DEMO_NOWHERE}/eqvol.xml")
    env.setdefault("JMA_LONG_FEEDS", f"{DEMO_NOWHERE}/extra_l.xml,{DEMO_NOWHERE}/eqvol_l.xml")
    env.update(
        BOT_PORT=bot_port,
        EMULATOR_PORT=emulator_port,
        LINE_API_BASE=f"http://127.0.0.1:{emulator_port}",
        EMULATOR_WEBHOOK_URL=f"http://127.0.0.1:{bot_port}/callback",
        PUBLIC_BASE_URL=env.get("PUBLIC_BASE_URL", f"http://127.0.0.1:{bot_port}"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_up(url: str, stopping: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stopping():
        try:
            with urllib.request.urlopen(url, timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def run_demo() -> int:
    env = demo_environment()
    python = sys.executable
    bin_dir = Path(python).parent
    subprocess.run([python, "-m", "bot", "db", "upgrade"], env=env, cwd=PROJECT_ROOT, check=True)
    for setup in demo_setup_commands():
        subprocess.run([python, "-m", "bot", *setup], env=env, cwd=PROJECT_ROOT, check=False)
    commands = [
        [python, "-m", "emulator"],
        [str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{env['BOT_PORT']}", "--workers", "2",
         "--threads", "4", "--graceful-timeout", str(GRACEFUL_S), "--no-control-socket",
         "--access-logfile", "-", "--access-logformat", '%(m)s %(U)s %(s)s %(L)ss', "bot:create_app()"],
        [python, "-m", "scheduler"],
    ]
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    children = [subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, start_new_session=True) for command in commands]
    bot_url, emulator_url = f"http://127.0.0.1:{env['BOT_PORT']}", env["LINE_API_BASE"]
    if _wait_until_up(f"{bot_url}/healthz", lambda: stopping) and _wait_until_up(f"{emulator_url}/_sim/users",
                                                                                  lambda: stopping):
        for started in demo_after_start_commands():
            subprocess.run([python, "-m", "bot", *started], env=env, cwd=PROJECT_ROOT, check=False)
        for line in demo_banner(bot_url, emulator_url):
            print(line, flush=True)
    exit_code = 0
    while not stopping:
        if any(child.poll() is not None for child in children):
            print("demo: a process stopped unexpectedly; stopping the others", file=sys.stderr)
            exit_code = 1
            break
        time.sleep(0.3)
    stop_children(children)
    print("demo stopped", flush=True)
    return exit_code


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)  # the child and everything it started (gunicorn's workers)
    except (ProcessLookupError, PermissionError):
        pass


def stop_children(children: list[subprocess.Popen], within_s: float = STOP_WITHIN_S) -> None:
    """SIGTERM every child's process group, then SIGKILL what is left when `within_s` is nearly up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave things half-stopped
    deadline = time.monotonic() + within_s - KILL_MARGIN_S
    for child in children:
        _signal_group(child, signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for child in children:
        _signal_group(child, signal.SIGKILL)  # stragglers, also workers whose master has gone
        try:
            child.wait(timeout=KILL_MARGIN_S)
        except subprocess.TimeoutExpired:
            print(f"demo: process {child.pid} did not stop", file=sys.stderr)


def demo_setup_commands() -> list[list[str]]:
    """Commands that prepare demo data; features add theirs here."""
    return [
        ["staff", "demo-account"],
        ["faq", "import", "content/faq/mine-faq.csv", "--only-new"],  # keeps staff's edits on restart
        ["classes", "seed-demo"],
        ["procedures", "import", "--only-new"],  # keeps staff's edits on restart
        ["city", "import", "--only-new"],
        ["shelters", "import", "content/shelters/mine-shelters.csv", "--only-new"],  # sample shelters (見本)
    ]


def demo_after_start_commands() -> list[list[str]]:
    """Commands that need the emulator running (the emulator forgets everything on restart)."""
    return [["richmenu", "publish"]]


def demo_banner(bot_url: str, emulator_url: str) -> list[str]:
    return [
        "",
        "Mine City LINE account: demo running (SQLite, LINE emulator; Ctrl-C stops)",
        f"  Chat as a resident (LINE simulator): {emulator_url}/",
        f"  Staff console:                        {bot_url}/console",
        *staff_cli.demo_banner_lines(),
        f"  Webhook:                              {bot_url}/callback",
        f"  Health:                               {bot_url}/healthz",
        "",
    ]
