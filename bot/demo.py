"""`make demo`: the whole system on one machine, on SQLite, with the LINE emulator.

Starts the emulator, the web app (gunicorn) and the scheduler as child processes, prints
where to open them, and stops them all on Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot.staff import cli as staff_cli
from bot.config import DEFAULT_SQLITE_PATH, DEVELOPMENT_DEFAULTS, PROJECT_ROOT


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


def _wait_until_up(url: str, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
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
    children = [
        subprocess.Popen([python, "-m", "emulator"], env=env, cwd=PROJECT_ROOT),
        subprocess.Popen(
            [str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{env['BOT_PORT']}", "--workers", "2",
             "--threads", "4", "--access-logfile", "-", "--access-logformat", '%(m)s %(U)s %(s)s %(L)ss',
             "bot:create_app()"],
            env=env, cwd=PROJECT_ROOT,
        ),
        subprocess.Popen([python, "-m", "scheduler"], env=env, cwd=PROJECT_ROOT),
    ]
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    bot_url, emulator_url = f"http://127.0.0.1:{env['BOT_PORT']}", env["LINE_API_BASE"]
    if _wait_until_up(f"{bot_url}/healthz") and _wait_until_up(f"{emulator_url}/_sim/users"):
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
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    print("demo stopped", flush=True)
    return exit_code


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
