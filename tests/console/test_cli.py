"""`python -m bot staff ...` and `python -m bot apitoken ...`.

Reading stdin from a pipe and from a terminal, and printing the token, run as real processes;
the rest calls `bot.cli.main` in this process (each new process costs seconds of imports)."""

from __future__ import annotations

import io
import os
import pty
import select as io_select
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from bot.staff import api_tokens
from bot.staff import accounts as staff
from bot.config import PROJECT_ROOT
from bot.models import AuditEntry, StaffRole


@pytest.fixture
def run(clean_database, tmp_path):
    """run(*args, stdin="") -> CompletedProcess of `python -m bot ARGS` on this test's database."""
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": clean_database,
           "DEMO_LOGIN_FILE": str(tmp_path / "demo-login.txt")}

    def run_command(*args: str, stdin: str = "", extra_env: dict[str, str] | None = None):
        return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                              cwd=PROJECT_ROOT, env={**env, **(extra_env or {})}, timeout=60)

    run_command.env = env
    return run_command


@pytest.fixture
def cli(clean_database, tmp_path, monkeypatch, capsys):
    """cli(*args, stdin="") -> (exit code, stdout, stderr) of `bot.cli.main(args)` in this process."""
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", clean_database)
    monkeypatch.setenv("DEMO_LOGIN_FILE", str(tmp_path / "demo-login.txt"))

    def run_main(*args: str, stdin: str = "") -> tuple[int, str, str]:
        from bot.cli import main

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse refusing the arguments
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run_main


def test_staff_create_reads_the_password_from_stdin(run, db_session):
    result = run("staff", "create", "--name", "Suzuki", "--role", "approver", "--display-name", "鈴木", stdin="a-long-password\n")
    assert result.returncode == 0, result.stderr
    assert "created suzuki (approver)" in result.stdout and "a-long-password" not in result.stdout + result.stderr
    user = staff.authenticate(db_session, "suzuki", "a-long-password")
    assert user is not None and user.role is StaffRole.APPROVER and user.display_name == "鈴木"
    entry = db_session.scalar(select(AuditEntry))
    assert (entry.actor, entry.action, entry.target) == ("cli", "staff.create", "suzuki")


def test_staff_create_refuses_weak_passwords_and_unknown_roles(cli, db_session):
    code, _, err = cli("staff", "create", "--name", "suzuki", "--role", "admin", stdin="short\n")
    assert code == 1 and "too weak" in err and "10 characters" in err
    code, _, err = cli("staff", "create", "--name", "suzuki", "--role", "root", stdin="a-long-password\n")
    assert code == 2 and "invalid choice" in err
    assert staff.find(db_session, "suzuki") is None


def test_staff_list_disable_and_set_password(cli, db_session):
    for name, role in [("admin", "admin"), ("suzuki", "author")]:
        assert cli("staff", "create", "--name", name, "--role", role, stdin="a-long-password\n")[0] == 0
    listing = cli("staff", "list")[1]
    assert "admin\tadmin\tactive" in listing and "suzuki\tauthor\tactive" in listing

    assert cli("staff", "set-password", "suzuki", stdin="another-long-one\n")[0] == 0
    assert cli("staff", "set-password", "suzuki", stdin="too-short\n")[0] == 1
    assert staff.authenticate(db_session, "suzuki", "another-long-one") is not None
    db_session.commit()
    assert cli("staff", "disable", "suzuki")[0] == 0
    assert "suzuki\tauthor\tdisabled" in cli("staff", "list")[1]
    code, _, err = cli("staff", "disable", "admin")
    assert code == 1 and "refused" in err  # the last admin stays
    assert cli("staff", "disable", "nobody")[0] == 1
    actions = list(db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["staff.create", "staff.create", "staff.set_password", "staff.disable"]


def test_apitoken_create_prints_a_token_that_authenticates_until_revoked(run, cli, db_session):
    result = run("apitoken", "create", "--name", "mail-service")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert api_tokens.authenticate_bearer(db_session, f"Bearer {token}").name == "mail-service"
    db_session.commit()
    listing = cli("apitoken", "list")[1]
    assert "mail-service\tactive" in listing and token not in listing

    assert cli("apitoken", "revoke", "mail-service")[0] == 0
    assert api_tokens.authenticate_bearer(db_session, f"Bearer {token}") is None
    assert "mail-service\trevoked" in cli("apitoken", "list")[1]
    assert cli("apitoken", "create", "--name", "mail-service")[0] == 1  # names are not reused
    assert cli("apitoken", "revoke", "nothing")[0] == 1
    actions = list(db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["apitoken.issue", "apitoken.revoke"]


def test_demo_account_keeps_one_password_and_never_runs_in_production(cli, db_session, tmp_path, monkeypatch):
    code, out, err = cli("staff", "demo-account")
    assert code == 0, err
    login_file = tmp_path / "demo-login.txt"
    password = login_file.read_text().split()[-1]
    assert f"demo / {password}" in out
    assert oct(login_file.stat().st_mode & 0o777) == "0o600"
    assert f"demo / {password}" in cli("staff", "demo-account")[1]
    user = staff.authenticate(db_session, "demo", password)
    assert user is not None and user.role is StaffRole.ADMIN
    db_session.commit()
    from bot.staff.cli import demo_banner_lines

    assert demo_banner_lines() == [f"  Console login (demo only):            demo / {password}"]

    for name, value in {"APP_ENV": "production", "LINE_CHANNEL_SECRET": "s" * 32,
                        "LINE_CHANNEL_ACCESS_TOKEN": "t" * 32, "SECRET_KEY": "Vq3kR9xLmT2pW7sN4bY8cF1hJ6dG5aZ0eU",
                        "PUBLIC_BASE_URL": "https://line.city.example.jp"}.items():
        monkeypatch.setenv(name, value)
    code, _, err = cli("staff", "demo-account")
    assert code == 1 and "never" in err


def _read_until(fd: int, marker: bytes, seconds: float = 30) -> bytes:
    seen, deadline = b"", time.monotonic() + seconds
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = io_select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_on_a_terminal_the_password_is_asked_twice_without_echo(run, db_session):
    pid, fd = pty.fork()
    if pid == 0:  # the child: `python -m bot` with the pseudo-terminal as its controlling terminal
        os.chdir(PROJECT_ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "staff", "create", "--name", "tty", "--role",
                                   "viewer"], run.env)
    try:
        output = _read_until(fd, b"Password:")
        os.write(fd, b"typed-on-a-terminal\n")
        output += _read_until(fd, b"Repeat")
        os.write(fd, b"typed-on-a-terminal\n")
        output += _read_until(fd, b"created")
        output += _read_until(fd, b"\n", 5)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert b"created tty" in output and b"typed-on-a-terminal" not in output
    assert staff.authenticate(db_session, "tty", "typed-on-a-terminal") is not None
