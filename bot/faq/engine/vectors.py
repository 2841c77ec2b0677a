"""Word vectors: the meaning signal of the FAQ search.

chiVe word vectors as shipped in GiNZA's `ja_ginza` model, reduced to 128 dimensions and
stored in content/faq/vectors/ (built by bench/faq_vectors.py; see the README there). The
arrays are memory-mapped read-only, so every web worker on a machine shares the same pages.
A word is looked up by its normalised form (`normalize`, spaces removed), through a sorted
array of 64-bit keys: no dictionary of half a million Python strings per process.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

VECTORS_DIR = Path(__file__).resolve().parents[3] / "content" / "faq" / "vectors"


def word_key(form: str) -> int:
    """The 64-bit key of a normalised word (first 8 bytes of its blake2b digest)."""
    return int.from_bytes(hashlib.blake2b(form.encode("utf-8"), digest_size=8).digest(), "little")


class WordVectors:
    """Unit word vectors looked up by normalised form."""

    def __init__(self, vectors: np.ndarray, keys: np.ndarray, rows: np.ndarray) -> None:
        self.vectors = vectors
        self.keys = keys
        self.rows = rows
        self.dims = int(vectors.shape[1])

    @classmethod
    def load(cls, directory: Path = VECTORS_DIR) -> "WordVectors":
        """Memory-map the three arrays (nothing is copied into the process)."""
        return cls(*(np.load(directory / f"{name}.npy", mmap_mode="r") for name in ("vectors", "keys", "rows")))

    def row(self, form: str) -> int | None:
        """The vector row of a normalised word, or None when the word is unknown."""
        if not form:
            return None
        key = np.uint64(word_key(form))
        at = int(np.searchsorted(self.keys, key))
        if at < len(self.keys) and self.keys[at] == key:
            return int(self.rows[at])
        return None

    def vector(self, row: int) -> np.ndarray:
        return np.asarray(self.vectors[row], dtype=np.float32)


_lock = threading.Lock()
_default: WordVectors | None = None


def get_vectors() -> WordVectors | None:
    """The process-wide vectors, memory-mapped on first use; None when the files are missing."""
    global _default
    with _lock:
        if _default is None and (VECTORS_DIR / "vectors.npy").exists():
            _default = WordVectors.load()
        return _default
