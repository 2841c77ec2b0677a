"""What a web worker loads: `create_app()` in a fresh process (as gunicorn runs it) leaves out
the line-bot-sdk v2 API and the password estimator, which no webhook needs (issue 9/14 memory),
and the v3 SDK it does load still builds and serialises messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from bot import create_app
app = create_app()
from linebot.v3.messaging import ReplyMessageRequest, TextMessage
body = ReplyMessageRequest(reply_token="t", messages=[TextMessage(text="こんにちは")]).to_json()
assert "こんにちは" in __import__("json").loads(body)["messages"][0]["text"], body
heavy = [name for name in ("linebot.api", "linebot.models", "requests", "zxcvbn") if name in sys.modules]
print("loaded:", heavy)
from bot.staff.passwords import weakness
print("weak:", weakness("1234567890", "tanaka") is not None)
"""


def test_a_fresh_web_worker_loads_only_the_v3_sdk_and_no_password_estimator(tmp_path):
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}",
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "loaded: []" in done.stdout
    assert "weak: True" in done.stdout  # the estimator still loads when a password is checked
