"""Webhook benchmark (issue 9): how many residents' events the bot answers per second, and how
fast, next to a bare line-bot-sdk echo bot under the same gunicorn settings.

    .venv/bin/python bench/webhook_bench.py                       # 10 s runs at 1, 8 and 32
    .venv/bin/python bench/webhook_bench.py --quick               # 3 s smoke run
    .venv/bin/python bench/webhook_bench.py --concurrency 32 --backends sqlite,postgresql --json
    .venv/bin/python bench/webhook_bench.py --concurrency 32 --compare-with /tmp/base   # before/after

Processes, all on 127.0.0.1 and all stopped at the end (also on Ctrl-C):
- a stand-in LINE API (bench/line_standin.py) that answers at once and records, on the machine's
  monotonic clock, each reply's token and each push's recipient with its arrival time; it is
  measured alone first;
- the echo peer (bench/echo_bot.py, the flask-echo pattern) and the bot (`bot:create_app()`, on a
  new migrated SQLite file and/or a new PostgreSQL schema, FAQ seed imported), each under gunicorn
  with the Procfile's `web` settings (workers, threads, timeout; only the bind address differs);
- a load generator (bench/webhook_load.py): signed webhooks, one event each, 80% questions, 10%
  postbacks, 10% follows, closed loop at each concurrency, a warm-up and then `--seconds`.

Per concurrency the runs alternate echo, bot (per backend); with `--compare-with DIR` (another
checkout, e.g. `git archive BASE | tar -x -C DIR`) its bot runs as `bot-<backend>-base` between
the echo run and this tree's bot, on a database of its own, so a change is measured against
its base under the same load on the machine. Each run reports:
- webhook answers/s (200s in the measured window) and webhook latency p50/p99/max; non-200s;
- answered events/s: first answers reaching the stand-in in the window (a reply by its token, or
  a push to the user of an event whose reply never came); answer latency (event sent -> answer
  at the stand-in) p50/p99; events never answered after a grace period; events answered twice;
- gunicorn worker memory: VmRSS (sum and max per worker, of the master's children), and the largest
  worker's Pss and anonymous (private) memory, which do not count the shared mapped files in full; worker CPU
  per event; the ratio bot/echo of answered events/s to the echo run just before;
- "other": cores kept busy during the run by processes outside it (workers, stand-in and load
  generator subtracted from /proc/stat). On a shared machine, compare runs with similar values.
Columns: hook/s, p50ms, p99ms, maxms (the webhook's answer), non200, ans/s, ×echo, a.p50, a.p99
(answer latency, ms), >2s (answers later than 2 s), unans, twice, rssΣ, rssmax, pss, anon (MiB), cpu ms
(worker CPU per event), other.
Targets (issue 9) are checked at concurrency 32 and printed with the table. Results go to
bench/results/webhook-*.json. The exit status is 0 when the measurement ran, whatever the
numbers; non-zero only when the harness itself failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
FAQ_CSV = ROOT / "content" / "faq" / "mine-faq.csv"
SECRET = "bench-channel-secret-0123456789"
TOKEN = "bench-access-token-0123456789"
POSTGRESQL_URL = "postgresql://postgres@127.0.0.1:5432/test"
TARGETS = {"ratio_to_echo": 0.6, "answer_p99_s": 1.0, "webhook_max_s": 1.5, "worker_rss_mib": 250}


class HarnessError(RuntimeError):
    """The benchmark could not run (as opposed to numbers that miss a target)."""


# -- processes -----------------------------------------------------------------------------------

class Children:
    """Every process the benchmark starts, each in its own process group, stopped at the end."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None,
              cwd: Path = ROOT) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("w")
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        if proc in self.procs:
            self.procs.remove(proc)
        if proc.poll() is not None:
            return  # reaped earlier: its group id may no longer be ours
        self._signal(proc, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            self._signal(proc, signal.SIGKILL)
            proc.wait(5)
        self._signal(proc, signal.SIGKILL)  # workers left behind in the group, if any

    def finished(self, proc: subprocess.Popen) -> None:
        """Forget a process that exited by itself."""
        self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(list(self.procs)):
            self.stop(proc)

    @staticmethod
    def _signal(proc: subprocess.Popen, signum: int) -> None:
        try:
            os.killpg(proc.pid, signum)  # the group this process leads (start_new_session)
        except ProcessLookupError:
            pass

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.workdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile_web_options() -> list[str]:
    """The Procfile's gunicorn options for `web`, variables expanded, without --bind and the app."""
    line = next(l for l in (ROOT / "Procfile").read_text().splitlines() if l.startswith("web:"))
    expanded = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m[1]) or m[2], line[4:])
    words = shlex.split(expanded)
    if words[0] != "gunicorn":
        raise HarnessError("the Procfile's web process is not gunicorn")
    options, skip = [], False
    for word in words[1:-1]:  # the last word is the app
        if skip:
            skip = False
        elif word in ("--bind", "-b"):
            skip = True
        elif not word.startswith("--bind="):
            options.append(word)
    return options


def wait_for_http(port: int, proc: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise HarnessError(f"process on port {port} exited with {proc.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/_ping")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise HarnessError(f"nothing answered on port {port} within {timeout_s} s")


def start_gunicorn(children: Children, name: str, app: str, cwd: Path, env: dict[str, str],
                   port: int | None = None) -> tuple[int, int]:
    """Start `app` under the Procfile's gunicorn settings; returns (port, master pid)."""
    port = port or free_port()
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *procfile_web_options(), app]
    proc = children.start(name, argv, env=env, cwd=cwd)
    try:
        wait_for_http(port, proc)
    except HarnessError as exc:
        raise HarnessError(f"{name} did not start: {exc}\n{children.log_tail(name)}") from exc
    booted_by = time.monotonic() + 30
    while len(worker_pids(proc.pid)) < expected_workers():  # RSS is read from every worker
        if time.monotonic() > booted_by:
            raise HarnessError(f"{name}: not all gunicorn workers booted\n{children.log_tail(name)}")
        time.sleep(0.1)
    return port, proc.pid


def expected_workers() -> int:
    options = procfile_web_options()
    for flag in ("--workers", "-w"):
        if flag in options:
            return int(options[options.index(flag) + 1])
    return 1


def worker_pids(master: int) -> list[int]:
    pids: list[int] = []
    for task in Path(f"/proc/{master}/task").glob("*"):
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return pids


def proc_status_kib(pid: int, field: str, name: str = "status") -> int:
    """A kiB figure of /proc/PID/status (VmRSS) or, with name="smaps_rollup", of the summed
    mappings (Pss: shared pages divided among their users; Anonymous: private memory)."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds spent in processes on the machine (all cores), from /proc/stat; interrupt time
    (loopback networking) is left out as it is charged to no process."""
    user, nice, system = (int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:4])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


# -- the stand-in LINE API -----------------------------------------------------------------------

def standin_call(port: int, method: str, path: str) -> dict:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=b"" if method == "POST" else None)
    with opener.open(request, timeout=30) as response:
        return json.loads(response.read())


def standin_alone(port: int, seconds: float = 1.0, threads: int = 16) -> dict:
    """Replies per second the stand-in takes from this process alone, on keep-alive connections
    and on a new connection per reply (as the echo bot does); a lower bound of what it can take."""
    def hammer(keep_alive: bool, stop_at: float, counts: list[int]) -> None:
        connection = None
        n = 0
        while time.monotonic() < stop_at:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            body = json.dumps({"replyToken": f"probe-{threading.get_ident()}-{n}-{keep_alive}",
                               "messages": [{"type": "text", "text": "テスト"}]}).encode()
            connection.request("POST", "/v2/bot/message/reply", body, {"Content-Type": "application/json"})
            connection.getresponse().read()
            n += 1
            if not keep_alive:
                connection.close()
                connection = None
        counts.append(n)

    result = {}
    for keep_alive in (True, False):
        counts: list[int] = []
        stop_at = time.monotonic() + seconds
        workers = [threading.Thread(target=hammer, args=(keep_alive, stop_at, counts)) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(seconds + 15)
        result["keep_alive" if keep_alive else "new_connection"] = round(sum(counts) / seconds)
    standin_call(port, "POST", "/_reset")
    return result


# -- databases for the bot -----------------------------------------------------------------------

def postgresql_answers(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


@contextmanager
def bot_database(backend: str, workdir: Path, postgresql_url: str, tag: str = "") -> Iterator[str]:
    """A new SQLite file, or a new schema on the PostgreSQL server (dropped after)."""
    from bot.config import normalise_database_url

    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    import psycopg

    schema = f"webhook_bench_{os.getpid()}{tag}"
    with psycopg.connect(postgresql_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = normalise_database_url(postgresql_url)
        yield f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(postgresql_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def bot_env(database_url: str, standin_port: int, bot_port: int | None = None) -> dict[str, str]:
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=database_url,
               LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
               LINE_API_BASE=f"http://127.0.0.1:{standin_port}", NO_PROXY="127.0.0.1,localhost")
    if bot_port:
        env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{bot_port}"
    return env


def prepare_database(env: dict[str, str], workdir: Path, root: Path = ROOT) -> None:
    """`python -m bot db upgrade`, then the FAQ seed, as an operator would."""
    for name, argv in (("migrate", ["db", "upgrade"]), ("faq-import", ["faq", "import", str(FAQ_CSV)])):
        with (workdir / f"{name}.log").open("w") as log:
            done = subprocess.run([sys.executable, "-m", "bot", *argv], cwd=root, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, timeout=180)
        if done.returncode:
            output = (workdir / f"{name}.log").read_text()[-2000:]
            raise HarnessError(f"`python -m bot {' '.join(argv)}` failed:\n{output}")


# -- one run -------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(p * len(ordered)) - 1, 0)]


def answers_per_event(events: list, records: dict) -> dict[str, list[float]]:
    """Arrival times of the answers to each event (by reply token): its accepted reply, and pushes
    to its user matched to the user's oldest event without an answer sent before the push; a push
    that finds none counts as a second answer to the user's latest answered event."""
    answers: dict[str, list[float]] = {e[0]: [] for e in events}
    for token, at in records["replies"]:
        if token in answers:
            answers[token].append(at)
    by_user: dict[str, list] = defaultdict(list)
    for event in sorted(events, key=lambda e: e[3]):
        by_user[event[1]].append(event)
    for user, at in sorted(records["pushes"], key=lambda p: p[1]):
        candidates = [e for e in by_user.get(user, []) if e[3] <= at]
        waiting = [e for e in candidates if not answers[e[0]]]
        if waiting:
            answers[waiting[0][0]].append(at)
        elif candidates:
            answers[candidates[-1][0]].append(at)
    return answers


def one_run(label: str, port: int, master: int, standin: subprocess.Popen, standin_port: int, concurrency: int,
            args: argparse.Namespace, children: Children) -> dict:
    standin_call(standin_port, "POST", "/_reset")
    out = children.workdir / f"load-{label}-{concurrency}.json"
    workers = worker_pids(master)
    cpu_before, standin_before = cpu_seconds(workers), cpu_seconds([standin.pid])
    busy_before, started, harness_before = machine_busy_seconds(), time.monotonic(), sum(os.times()[:2])
    load = children.start(f"load-{label}-{concurrency}", [
        sys.executable, str(BENCH / "webhook_load.py"), "--url", f"http://127.0.0.1:{port}/callback",
        "--secret", SECRET, "--concurrency", str(concurrency), "--warmup", str(args.warmup),
        "--seconds", str(args.seconds), "--faq", str(FAQ_CSV), "--out", str(out)])
    try:
        load.wait(args.warmup + args.seconds + 90)
    except subprocess.TimeoutExpired as exc:
        raise HarnessError(f"the load generator did not finish ({label}, {concurrency})") from exc
    children.finished(load)
    if load.returncode:
        raise HarnessError(f"the load generator failed:\n{children.log_tail(f'load-{label}-{concurrency}')}")
    cpu_s = cpu_seconds(workers) - cpu_before
    standin_s = cpu_seconds([standin.pid]) - standin_before
    busy_s, elapsed = machine_busy_seconds() - busy_before, time.monotonic() - started
    harness_s = sum(os.times()[:2]) - harness_before
    pids = worker_pids(master)
    rss = [proc_status_kib(pid, "VmRSS") / 1024 for pid in pids]
    # VmRSS counts the memory-mapped MeCab dictionary and FAQ vectors in every worker, although the
    # page cache holds one copy for all: Pss and private (anonymous) memory say what a worker costs.
    pss = [proc_status_kib(pid, "Pss", "smaps_rollup") / 1024 for pid in pids]
    anon = [proc_status_kib(pid, "Anonymous", "smaps_rollup") / 1024 for pid in pids]
    result = json.loads(out.read_text())
    (ws, we), events = result["window"], result["events"]

    deadline = time.monotonic() + args.grace
    while True:  # the grace period: answers still on their way
        records = standin_call(standin_port, "GET", "/_records")
        answers = answers_per_event(events, records)
        if all(answers.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    outcome = summarise(label, concurrency, ws, we, events, answers, records, rss, cpu_s)
    outcome["worker_pss_max_mib"] = round(max(pss, default=0), 1)
    outcome["worker_anon_max_mib"] = round(max(anon, default=0), 1)
    # On a small machine the generator shares the cores with the servers: its cost, to judge that.
    outcome["load_generator_cpu_ms_per_event"] = round(result["cpu_s"] * 1000 / len(events), 2) if events else None
    outcome["standin_cpu_ms_per_event"] = round(standin_s * 1000 / len(events), 2) if events else None
    # Cores busy with processes that are not part of this run (other work on a shared machine).
    outcome["other_cores_busy"] = round(max(busy_s - cpu_s - standin_s - result["cpu_s"] - harness_s, 0) / elapsed, 2)
    return outcome


def summarise(label, concurrency, ws, we, events, answers, records, rss, cpu_s) -> dict:
    window = we - ws
    measured = [e for e in events if ws <= e[3] < we]
    ok = [e for e in measured if e[5] == 200]
    webhook_s = [e[4] - e[3] for e in ok]
    first = {token: min(times) for token, times in answers.items() if times}
    answer_s = [first[e[0]] - e[3] for e in measured if e[0] in first]

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "config": label, "concurrency": concurrency, "window_s": round(window, 2),
        "events_sent": len(events), "events_in_window": len(measured),
        "webhook_per_s": round(len(ok) / window, 1),
        "webhook_p50_ms": ms(percentile(webhook_s, 0.5)), "webhook_p99_ms": ms(percentile(webhook_s, 0.99)),
        "webhook_max_ms": ms(max(webhook_s, default=None)),
        "non_200": sum(1 for e in events if e[5] != 200),
        "answered_per_s": round(sum(1 for t in first.values() if ws <= t < we) / window, 1),
        "answer_p50_ms": ms(percentile(answer_s, 0.5)), "answer_p99_ms": ms(percentile(answer_s, 0.99)),
        "answers_over_2s": sum(1 for s in answer_s if s > 2.0),
        "unanswered": sum(1 for times in answers.values() if not times),
        "answered_twice": sum(1 for times in answers.values() if len(times) > 1),
        "replies": len(records["replies"]), "pushes": len(records["pushes"]),
        "reply_token_reuses": records["reply_token_reuses"],
        "loading_animations": records["requests"].get("/v2/bot/chat/loading/start", 0),
        "worker_rss_sum_mib": round(sum(rss), 1), "worker_rss_max_mib": round(max(rss, default=0), 1),
        "workers": len(rss),
        "worker_cpu_ms_per_event": round(cpu_s * 1000 / len(events), 2) if events else None,
    }


# -- the whole benchmark -------------------------------------------------------------------------

def run(args: argparse.Namespace, children: Children) -> dict:
    standin_port = free_port()
    standin = children.start("standin", [sys.executable, str(BENCH / "line_standin.py"), "--port", str(standin_port)])
    wait_for_http(standin_port, standin, 20)
    alone = standin_alone(standin_port)

    notes: list[str] = []
    backends = [b for b in args.backends if b in ("sqlite", "postgresql")]
    if "postgresql" in backends and not postgresql_answers(args.postgresql_url):
        backends.remove("postgresql")
        notes.append(f"postgresql skipped: no server answers at {args.postgresql_url}")

    echo_env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
                    LINE_API_BASE=f"http://127.0.0.1:{standin_port}")
    servers = {"echo": start_gunicorn(children, "echo", "echo_bot:create_app()", BENCH, echo_env)}
    # The bot of this tree, and with --compare-with the bot of another checkout ("base"), each on its own database.
    trees = [("", ROOT)] + ([("-base", args.compare_with)] if args.compare_with else [])
    with ExitStack() as stack:
        for backend in backends:
            for suffix, root in trees:
                label = f"bot-{backend}{suffix}"
                backend_dir = children.workdir / label
                backend_dir.mkdir()
                database_url = stack.enter_context(bot_database(backend, backend_dir, args.postgresql_url,
                                                                suffix.replace("-", "_")))
                bot_port = free_port()
                env = bot_env(database_url, standin_port)
                prepare_database(env, backend_dir, root)
                env = bot_env(database_url, standin_port, bot_port)
                servers[label] = start_gunicorn(children, label, "bot:create_app()", root, env, bot_port)
                stack.callback(children.stop, children.procs[-1])  # before its schema is dropped

        runs = []
        for concurrency in args.concurrency:
            for backend in backends:
                for label in ("echo", *(f"bot-{backend}{suffix}" for suffix, _ in reversed(trees))):
                    port, master = servers[label]
                    outcome = one_run(label, port, master, standin, standin_port, concurrency, args, children)
                    if label != "echo":
                        echo = next(r for r in reversed(runs) if r["config"] == "echo")["answered_per_s"]
                        outcome["ratio_to_echo"] = round(outcome["answered_per_s"] / echo, 2) if echo else None
                    runs.append(outcome)
                    if not args.json:
                        print(row(outcome), flush=True)
    return {"procfile_web_options": procfile_web_options(), "seconds": args.seconds, "warmup_s": args.warmup,
            "grace_s": args.grace, "standin_alone_replies_per_s": alone, "notes": notes, "runs": runs,
            "targets": check_targets(runs)}


def check_targets(runs: list[dict]) -> list[dict]:
    at = 32 if any(r["concurrency"] == 32 for r in runs) else max((r["concurrency"] for r in runs), default=0)
    checks = []
    for label in sorted({r["config"] for r in runs if r["config"] != "echo"}):
        mine = [r for r in runs if r["config"] == label]
        top = [r for r in mine if r["concurrency"] == at]

        def check(name: str, wanted: str, values: list, passed: bool) -> None:
            checks.append({"config": label, "target": name, "wanted": wanted, "measured": values, "met": passed})

        ratios = [r.get("ratio_to_echo") or 0 for r in top]
        check(f"answered events/s vs echo at {at}", f">= {TARGETS['ratio_to_echo']}x", ratios,
              all(x >= TARGETS["ratio_to_echo"] for x in ratios))
        p99 = [r["answer_p99_ms"] for r in top]
        check(f"answer p99 at {at}", f"<= {TARGETS['answer_p99_s'] * 1000:.0f} ms", p99,
              all(x is not None and x <= TARGETS["answer_p99_s"] * 1000 for x in p99))
        worst = [r["webhook_max_ms"] for r in top]
        check(f"webhook max at {at} (never near 2 s)", f"< {TARGETS['webhook_max_s'] * 1000:.0f} ms", worst,
              all(x is not None and x < TARGETS["webhook_max_s"] * 1000 for x in worst))
        faults = [r["unanswered"] + r["answered_twice"] + r["non_200"] for r in mine]
        check("unanswered + twice + non-200, all runs", "0", faults, not any(faults))
        rss = [r["worker_rss_max_mib"] for r in mine]
        check("worker RSS, max per worker", f"<= {TARGETS['worker_rss_mib']} MiB", max(rss),
              max(rss) <= TARGETS["worker_rss_mib"])
    return checks


HEADER = (f"{'config':19} {'conc':>4} {'hook/s':>7} {'p50ms':>7} {'p99ms':>7} {'maxms':>7} {'non200':>6} "
          f"{'ans/s':>7} {'×echo':>5} {'a.p50':>7} {'a.p99':>7} {'>2s':>4} {'unans':>5} {'twice':>5} "
          f"{'rssΣ':>6} {'rssmax':>6} {'pss':>4} {'anon':>4} {'cpu ms':>6} {'other':>5}")


def row(r: dict) -> str:
    def f(value, width, digits=0):
        return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"

    return (f"{r['config']:19} {r['concurrency']:>4} {f(r['webhook_per_s'], 7, 1)} {f(r['webhook_p50_ms'], 7)} "
            f"{f(r['webhook_p99_ms'], 7)} {f(r['webhook_max_ms'], 7)} {r['non_200']:>6} "
            f"{f(r['answered_per_s'], 7, 1)} {f(r.get('ratio_to_echo'), 5, 2)} {f(r['answer_p50_ms'], 7)} "
            f"{f(r['answer_p99_ms'], 7)} {r['answers_over_2s']:>4} {r['unanswered']:>5} {r['answered_twice']:>5} "
            f"{f(r['worker_rss_sum_mib'], 6)} {f(r['worker_rss_max_mib'], 6)} {f(r.get('worker_pss_max_mib'), 4)} "
            f"{f(r.get('worker_anon_max_mib'), 4)} {f(r['worker_cpu_ms_per_event'], 6, 1)} "
            f"{f(r.get('other_cores_busy'), 5, 2)}")


def print_targets(result: dict) -> None:
    print("\ntargets (issue 9):")
    for c in result["targets"]:
        print(f"  {'met   ' if c['met'] else 'MISSED'} {c['config']:19} {c['target']:40} {c['wanted']:>10}  "
              f"measured {c['measured']}")
    for note in result["notes"]:
        print(f"  note: {note}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per run (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring (default 2)")
    parser.add_argument("--grace", type=float, default=5.0, help="seconds to wait for late answers (default 5)")
    parser.add_argument("--concurrency", default="1,8,32", help="closed-loop concurrencies (default 1,8,32)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="bot databases (default sqlite,postgresql)")
    parser.add_argument("--postgresql-url", default=os.environ.get("BENCH_POSTGRESQL_URL", POSTGRESQL_URL))
    parser.add_argument("--compare-with", type=Path, default=None, metavar="DIR",
                        help="also run the bot of another checkout (e.g. main's worktree) as bot-<backend>-base, "
                             "right after the same echo run: before/after in one run")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 s runs, 1 s warm-up, 3 s grace")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warmup, args.grace = 3.0, 1.0, 3.0
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not args.concurrency or min(args.concurrency) < 1 or args.seconds <= 0:
        parser.error("concurrency must be positive integers and --seconds positive")
    if not set(args.backends) <= {"sqlite", "postgresql"}:
        parser.error("backends are sqlite and postgresql")
    return args


def stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # the same clean-up as Ctrl-C


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="webhook-bench-"))
    children = Children(workdir)
    try:
        if not args.json:
            print(HEADER, flush=True)
        result = run(args, children)
    except KeyboardInterrupt:
        print("interrupted; stopping everything", file=sys.stderr)
        return 130
    except (HarnessError, OSError, subprocess.SubprocessError) as exc:
        print(f"webhook benchmark failed: {exc}", file=sys.stderr)
        return 2
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not stop the clean-up
            signal.signal(signum, signal.SIG_IGN)
        children.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    (RESULTS / f"webhook-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(text)
    (RESULTS / "webhook-latest.json").write_text(text)
    if args.json:
        print(text)
    else:
        print(f"\nstand-in alone (replies/s): {result['standin_alone_replies_per_s']}")
        print_targets(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
