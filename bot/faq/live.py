"""The FAQ search index of one process, kept in step with the entries in the database.

Production runs several web workers (processes, maybe on several machines), and staff edit
entries in any of them. Each process keeps its own `FaqIndex` and the content version it was
built from; before a search it reads the version in the database at most once a second
(`refresh_s`) and rebuilds the index when the version moved. The worker where staff saved a
change rebuilds at once (`invalidate`). While one thread rebuilds, the others keep answering
from the previous index instead of waiting."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from collections.abc import Callable

from flask import current_app

from bot.faq import entries as faq_entries
from bot.db import Database
from bot.faq.engine.corpus import FaqEntry
from bot.faq.engine.search import FaqIndex, SearchResult

REFRESH_S = 1.0
SEARCH_CACHE_SIZE = 4096  # on a rain day thousands ask the same few questions


@dataclass(frozen=True)
class PublishedEntry:
    """A published entry as the bot shows it (no database read per question)."""

    entry: FaqEntry
    unverified_sample: bool  # a sample entry no one at the city has checked yet
EXTENSION_KEY = "faq_index"
_extension_lock = threading.Lock()


class LiveFaqIndex:
    """`search(question)` on the current FAQ content of the database."""

    def __init__(self, database: Database, refresh_s: float = REFRESH_S,
                 clock: Callable[[], float] = time.monotonic,
                 build: Callable[[list[FaqEntry]], FaqIndex] = FaqIndex.build) -> None:
        self._database = database
        self._refresh_s = refresh_s
        self._clock = clock
        self._build = build
        self._lock = threading.Lock()
        self._index: FaqIndex | None = None
        self._published: dict[str, PublishedEntry] = {}
        self._version: int | None = None
        self._next_check = 0.0
        self.builds = 0  # how many times this process built the index (for tests and health checks)
        self._cache: OrderedDict[str, SearchResult] = OrderedDict()
        self._cache_index: FaqIndex | None = None
        self._cache_lock = threading.Lock()

    def search(self, question: str) -> SearchResult:
        """The index's result, from a cache of recent questions (emptied when the content moves)."""
        index = self.index()
        with self._cache_lock:
            if self._cache_index is not index:
                self._cache.clear()
                self._cache_index = index
            found = self._cache.get(question)
            if found is not None:
                self._cache.move_to_end(question)
                return found
        result = index.search(question)
        with self._cache_lock:
            if self._cache_index is index:
                self._cache[question] = result
                if len(self._cache) > SEARCH_CACHE_SIZE:
                    self._cache.popitem(last=False)
        return result

    def index(self) -> FaqIndex:
        """The index for the current content (checked at most every `refresh_s` seconds)."""
        index = self._index
        if index is not None and self._clock() < self._next_check:
            return index
        # Only the first search of a process waits for a build; later ones use the old index
        # while another thread checks or rebuilds.
        if not self._lock.acquire(blocking=index is None):
            return index  # type: ignore[return-value]
        try:
            if self._index is None or self._clock() >= self._next_check:
                self._refresh()
            assert self._index is not None
            return self._index
        finally:
            self._lock.release()

    def published(self, entry_ids: list[str]) -> dict[str, PublishedEntry]:
        """The entries among `entry_ids` published in the content the index was built from, in order."""
        self.index()
        found = self._published
        return {entry_id: found[entry_id] for entry_id in entry_ids if entry_id in found}

    def invalidate(self) -> None:
        """Check the version before the next search (this process just changed the content)."""
        self._next_check = 0.0

    def _refresh(self) -> None:
        with self._database.read_sessions() as session:
            version = faq_entries.content_version(session)
            if self._index is not None and version == self._version:
                self._next_check = self._clock() + self._refresh_s
                return
            # The version is read before the entries: a change committed in between is in
            # the entries already, and its higher version only causes one more rebuild.
            records = faq_entries.all_records(session)
            entries = [faq_entries.as_search_entry(record) for record in records]
        unverified = {r.id for r in records if r.sample and r.verified_on is None}
        self._published = {e.id: PublishedEntry(e, e.id in unverified) for e in entries if e.published}
        self._index = self._build(entries)
        self._version = version
        self.builds += 1
        self._next_check = self._clock() + self._refresh_s


def live_index() -> LiveFaqIndex:
    """This app's live index, created on first use (inside a request or app context)."""
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        with _extension_lock:
            if EXTENSION_KEY not in extensions:
                extensions[EXTENSION_KEY] = LiveFaqIndex(extensions["db"])
    return extensions[EXTENSION_KEY]
