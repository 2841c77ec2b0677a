"""The search index of a web worker follows the FAQ in the database: a version check at most once
a second, a rebuild only when the version moved, one build at a time, old index served meanwhile."""

from __future__ import annotations

import threading

import pytest

from bot.faq import entries as faq_entries
from bot.db import Database
from bot.faq.entries import EntryDraft
from bot.faq.live import LiveFaqIndex
from bot.models import FaqEntryRecord


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Builds:
    """Stands in for FaqIndex.build: records what each build saw."""

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def __call__(self, entries):
        self.seen.append([e.question for e in entries])
        return tuple(self.seen[-1])


@pytest.fixture
def database(clean_database):
    db = Database(clean_database)
    yield db
    db.dispose()


def add(database: Database, question: str) -> str:
    with database.transaction() as session:
        return faq_entries.create_entry(session, EntryDraft(question, "答えです。", department="市民課")).id


def rename(database: Database, entry_id: str, question: str) -> None:
    with database.transaction() as session:
        entry = session.get(FaqEntryRecord, entry_id)
        faq_entries.update_entry(session, entry, EntryDraft(question, "答えです。", department="市民課"))


def test_the_version_is_checked_at_most_once_a_second_and_a_change_rebuilds(database):
    clock, builds = Clock(), Builds()
    live = LiveFaqIndex(database, refresh_s=1.0, clock=clock, build=builds)
    first = add(database, "図書館で本を借りたい")
    assert live.index() == ("図書館で本を借りたい",)
    rename(database, first, "図書館の利用時間")
    clock.now += 0.5
    assert live.index() == ("図書館で本を借りたい",)  # within the second: no check, old index
    clock.now += 0.6
    assert live.index() == ("図書館の利用時間",)
    clock.now += 5
    assert live.index() == ("図書館の利用時間",)  # checked, unchanged: no rebuild
    assert len(builds.seen) == 2


def test_invalidate_checks_at_once_in_the_worker_that_made_the_change(database):
    clock, builds = Clock(), Builds()
    live = LiveFaqIndex(database, clock=clock, build=builds)
    add(database, "ごみの出し方")
    live.index()
    add(database, "粗大ごみの申し込み")
    live.invalidate()
    assert live.index() == ("ごみの出し方", "粗大ごみの申し込み")


def test_two_workers_on_one_database_both_follow_a_change(database, clean_database):
    other_database = Database(clean_database)
    try:
        clock = Clock()
        worker_a = LiveFaqIndex(database, clock=clock, build=Builds())
        worker_b = LiveFaqIndex(other_database, clock=clock, build=Builds())
        entry_id = add(database, "住民票の写し")
        assert worker_a.index() == worker_b.index() == ("住民票の写し",)
        rename(other_database, entry_id, "住民票の写しを郵送で")
        clock.now += 1.01
        assert worker_a.index() == worker_b.index() == ("住民票の写しを郵送で",)
    finally:
        other_database.dispose()


def test_unpublishing_also_changes_the_version(database):
    with database.transaction() as session:
        before = faq_entries.content_version(session)
        entry = faq_entries.create_entry(session, EntryDraft("質問", "答え", department="市民課"))
        draft = EntryDraft.of(entry)
        draft.published = False
        faq_entries.update_entry(session, entry, draft)
        assert faq_entries.content_version(session) == before + 2


def test_one_build_at_a_time_and_other_threads_keep_answering_from_the_old_index(database):
    clock = Clock()
    release, started = threading.Event(), threading.Event()
    builds: list[int] = []

    def slow_build(entries):
        builds.append(len(entries))
        if len(builds) == 2:
            started.set()
            release.wait(5)
        return ("index", len(entries))

    live = LiveFaqIndex(database, clock=clock, build=slow_build)
    add(database, "一つ目")
    first = [None] * 8
    threads = [threading.Thread(target=lambda n=n: first.__setitem__(n, live.index())) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert first == [("index", 1)] * 8 and builds == [1]  # the first search waits; built once

    add(database, "二つ目")
    clock.now += 2
    rebuilding = threading.Thread(target=live.index)
    rebuilding.start()
    assert started.wait(5)
    assert live.index() == ("index", 1)  # while the rebuild runs, the old index answers at once
    release.set()
    rebuilding.join(5)
    assert live.index() == ("index", 2) and builds == [1, 2]
