"""What `GET /metrics` shows Prometheus: the names, their labels and one helper per call site.

Counters and histograms live in the process that counts (a web worker, the scheduler). Under
gunicorn, set `PROMETHEUS_MULTIPROC_DIR` to an empty directory shared by the workers BEFORE
the process starts (prometheus_client decides at import): every worker then writes its own file
and a scrape of any worker adds them all up. Without it (the demo, tests) each process counts
in memory. Backlogs and progress are gauges computed from the database at scrape time, so they
are the same whichever worker (or machine) is asked.

Labels are small closed sets (event types, outcomes, endpoint templates): never a resident's
words, a user id or a token. A feature adds a scrape-time gauge with one line:

    metrics.add_database_gauge("mine_line_example_seconds", "Seconds since ...", example_values)
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import Database, utcnow
from bot.models import (
    AnswerStatus, BatchStatus, ClassNotification, Delivery, DeliveryBatch, DeliveryStatus, JmaFeed, JmaPoll, MailSend,
    MailSendStatus, NotificationStatus, SchedulerLease, WebhookEvent,
)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

WEBHOOK_EVENTS = Counter(
    "mine_line_webhook_events_total", "Webhook events handled, by event type and outcome", ["type", "outcome"]
)
ANSWERS = Counter("mine_line_answers_total", "Answer sending steps, by the state they left the answer in", ["outcome"])
ANSWER_LATENCY = Histogram(
    "mine_line_answer_latency_seconds", "From the webhook event's arrival to its answer accepted by LINE",
    buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300, 3600),
)
FAQ_DECISIONS = Counter("mine_line_faq_decisions_total", "FAQ search decisions", ["decision"])
LINE_CALLS = Counter(
    "mine_line_line_api_calls_total", "Calls to the LINE API, by endpoint and HTTP status (0: no answer)",
    ["endpoint", "status"],
)
LINE_RETRIES = Counter("mine_line_line_api_retries_total", "LINE API calls retried after a 5xx or no answer")
DELIVERY_BATCHES = Counter(
    "mine_line_delivery_batches_total", "Notice delivery batches answered by LINE, by outcome", ["outcome"]
)

# ---- call sites (one line each) ---------------------------------------------------------------


def webhook_event(event_type: str, outcome: str) -> None:
    WEBHOOK_EVENTS.labels(event_type, outcome).inc()


def answers_recorded(now: datetime, results: Iterable[tuple[datetime, str]]) -> None:
    """(received_at, resulting status) of each answer after a sending step."""
    for received_at, status in results:
        ANSWERS.labels(status).inc()
        if status == AnswerStatus.SENT:
            ANSWER_LATENCY.observe(max((now - received_at).total_seconds(), 0.0))


def faq_decision(decision: object) -> None:
    FAQ_DECISIONS.labels(str(decision)).inc()


def line_attempt(attempt: int) -> None:
    """Attempt `attempt` (0 first) of a call in the gateway's retry loop."""
    if attempt:
        LINE_RETRIES.inc()


def delivery_batches(outcomes: Iterable[str]) -> None:
    for outcome in outcomes:
        DELIVERY_BATCHES.labels(outcome).inc()


_ID_SEGMENT = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def endpoint_of(url: str) -> str:
    """`https://api.line.me/v2/bot/profile/U1234...` -> `/v2/bot/profile/{id}` (no ids in labels)."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url).split("?", 1)[0]
    parts = [part if _ID_SEGMENT.match(part) and len(part) <= 24 else "{id}" for part in path.split("/") if part]
    return "/" + "/".join(parts)


def count_line_calls(request: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap the SDK's REST `request(method, url, ...)`: every call to LINE counted once."""

    def counted(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        endpoint = endpoint_of(url)
        try:
            response = request(method, url, *args, **kwargs)
        except Exception as exc:
            LINE_CALLS.labels(endpoint, str(getattr(exc, "status", 0) or 0)).inc()
            raise
        LINE_CALLS.labels(endpoint, str(response.status)).inc()
        return response

    return counted


# ---- scrape-time gauges from the database -----------------------------------------------------

GaugeValues = Callable[[Session], Iterable[tuple[dict[str, str], float]]]


@dataclass(frozen=True)
class DatabaseGauge:
    name: str
    documentation: str
    values: GaugeValues  # (labels, value) pairs, computed from the database at scrape time


def _outbox_backlog(session: Session) -> Iterator[tuple[dict[str, str], float]]:
    pending = {
        "answers": select(func.count()).select_from(WebhookEvent).where(
            WebhookEvent.answer_status.in_([AnswerStatus.REPLY_PENDING, AnswerStatus.PUSH_PENDING])),
        "class_notifications": select(func.count()).select_from(ClassNotification).where(
            ClassNotification.status == NotificationStatus.PENDING),
        "mail_sends": select(func.count()).select_from(MailSend).where(MailSend.status == MailSendStatus.PENDING),
        "delivery_batches": select(func.count()).select_from(DeliveryBatch).where(
            DeliveryBatch.status == BatchStatus.PENDING),
    }
    for outbox, query in pending.items():
        yield {"outbox": outbox}, float(session.scalar(query) or 0)


def _delivery_progress(session: Session) -> Iterator[tuple[dict[str, str], float]]:
    rows = dict(session.execute(
        select(DeliveryBatch.status, func.coalesce(func.sum(DeliveryBatch.recipients), 0))
        .join(Delivery, Delivery.id == DeliveryBatch.delivery_id)
        .where(Delivery.status == DeliveryStatus.SENDING).group_by(DeliveryBatch.status)
    ).all())
    for status in BatchStatus:
        yield {"state": status.value}, float(rows.get(status, 0))


def _lease_seconds_left(session: Session) -> Iterator[tuple[dict[str, str], float]]:
    expires = session.scalar(select(SchedulerLease.expires_at).where(SchedulerLease.name == "scheduler"))
    yield {}, max((expires - utcnow()).total_seconds(), 0.0) if expires else 0.0


def _jma_ages(session: Session) -> Iterator[tuple[dict[str, str], float]]:
    """Seconds since the last finished JMA poll and since each feed last answered (nothing while
    JMA polling has never run): an alert on these says warnings may not be reaching residents."""
    now = utcnow()
    finished = session.scalar(select(func.max(JmaPoll.finished_at)))
    if finished is not None:
        yield {"what": "poll", "feed": ""}, max((now - finished).total_seconds(), 0.0)
    for url, ok_at in session.execute(select(JmaFeed.url, JmaFeed.ok_at)):
        age = max((now - ok_at).total_seconds(), 0.0) if ok_at is not None else math.inf  # never answered
        yield {"what": "feed_ok", "feed": url.rstrip("/").rsplit("/", 1)[-1][:40]}, age


DATABASE_GAUGES: list[DatabaseGauge] = [
    DatabaseGauge("mine_line_outbox_pending", "Rows waiting to be sent, by outbox", _outbox_backlog),
    DatabaseGauge("mine_line_delivery_recipients", "Recipients of notices being delivered now, by batch state",
                  _delivery_progress),
    DatabaseGauge("mine_line_scheduler_lease_seconds_left", "Seconds until the active scheduler's lease expires "
                  "(0: no scheduler is running the jobs)", _lease_seconds_left),
    DatabaseGauge("mine_line_jma_age_seconds", "Seconds since the last finished JMA poll (what=poll) and since "
                  "each JMA feed last answered (what=feed_ok)", _jma_ages),
]


def add_database_gauge(name: str, documentation: str, values: GaugeValues) -> None:
    """Register a feature's scrape-time gauge (once; a second registration of `name` replaces it)."""
    DATABASE_GAUGES[:] = [gauge for gauge in DATABASE_GAUGES if gauge.name != name]
    DATABASE_GAUGES.append(DatabaseGauge(name, documentation, values))


class _DatabaseCollector:
    def __init__(self, database: Database) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        started = time.monotonic()
        with self.database.read_sessions() as session:
            for gauge in DATABASE_GAUGES:
                family = None
                for labels, value in gauge.values(session):
                    family = family or GaugeMetricFamily(gauge.name, gauge.documentation, labels=list(labels))
                    family.add_metric(list(labels.values()), value)
                if family is not None:
                    yield family
        yield GaugeMetricFamily("mine_line_metrics_database_seconds", "Time the database gauges took",
                                value=time.monotonic() - started)


class _ProcessCollector:
    """This process's counters, when there is no multiprocess directory."""

    def collect(self) -> Iterator[Metric]:
        return REGISTRY.collect()


def exposition(database: Database) -> bytes:
    """The text Prometheus scrapes: the counters of every worker, then the database gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessCollector())
    registry.register(_DatabaseCollector(database))
    return generate_latest(registry)
