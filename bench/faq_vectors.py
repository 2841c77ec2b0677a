"""Build the word vectors of the FAQ search (content/faq/vectors/) from the ja-ginza wheel.

    .venv/bin/pip download --no-deps ja-ginza==5.3.0 -d /tmp/ginza
    .venv/bin/python bench/faq_vectors.py /tmp/ginza/ja_ginza-5.3.0-py3-none-any.whl [--dims 128]

GiNZA's `ja_ginza` model (MIT, Megagon Labs) carries 20,000 chiVe word vectors (Apache-2.0,
Works Applications) of 300 dimensions, with 480,443 words mapped onto them (spaCy pruned the
vocabulary: a rare word points at the row of its nearest kept word). Only those three files
are read, straight from the wheel, without spaCy: `vocab/vectors` (a .npy array),
`vocab/key2row` (a msgpack map from spaCy's 64-bit MurmurHash of a word to its row) and
`vocab/strings.json` (the words, to hash them again).

Written (memory-mapped by `bot.faq.engine.vectors`, so web workers share the pages):
- `vectors.npy`: float16, rows × dims, each row of unit length (PCA to `dims` first);
- `keys.npy`: uint64, sorted: the first 8 bytes of blake2b of each normalised word;
- `rows.npy`: uint16, the vector row of each key.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.faq.engine.normalize import normalize  # noqa: E402
from bot.faq.engine.vectors import VECTORS_DIR, word_key  # noqa: E402

VOCAB = "ja_ginza/ja_ginza-5.3.0/vocab/"
MURMUR_M = 0xC6A4A7935BD1E995
MASK = (1 << 64) - 1


def murmur64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy hashes its strings (seed 1)."""
    h = (seed ^ (len(data) * MURMUR_M)) & MASK
    whole = len(data) // 8 * 8
    for (k,) in struct.iter_unpack("<Q", data[:whole]):
        k = (k * MURMUR_M) & MASK
        k ^= k >> 47
        h ^= (k * MURMUR_M) & MASK
        h = (h * MURMUR_M) & MASK
    if data[whole:]:
        h ^= int.from_bytes(data[whole:], "little")
        h = (h * MURMUR_M) & MASK
    h ^= h >> 47
    h = (h * MURMUR_M) & MASK
    return h ^ (h >> 47)


def msgpack_uint(data: bytes, at: int) -> tuple[int, int]:
    """One msgpack unsigned integer at `at`: (value, next offset)."""
    tag = data[at]
    if tag < 0x80:
        return tag, at + 1
    size = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}[tag]
    return int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def read_key2row(data: bytes) -> dict[int, int]:
    if data[0] != 0xDF:
        raise ValueError("key2row: expected a msgpack map32")
    count, at, mapping = struct.unpack(">I", data[1:5])[0], 5, {}
    for _ in range(count):
        key, at = msgpack_uint(data, at)
        mapping[key], at = msgpack_uint(data, at)
    return mapping


def build(wheel: Path, dims: int, out: Path) -> dict:
    with zipfile.ZipFile(wheel) as archive:
        vectors = np.load(io.BytesIO(archive.read(VOCAB + "vectors")))
        key2row = read_key2row(archive.read(VOCAB + "key2row"))
        strings = json.loads(archive.read(VOCAB + "strings.json"))
    rows: dict[int, int] = {}
    for word in strings:
        row = key2row.get(murmur64a(word.encode("utf-8")))
        form = normalize(word).replace(" ", "")
        if row is not None and form:
            rows.setdefault(word_key(form), row)  # the first spelling of a normalised form wins
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:dims].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-9
    keys = np.array(sorted(rows), np.uint64)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "vectors.npy", reduced.astype(np.float16))
    np.save(out / "keys.npy", keys)
    np.save(out / "rows.npy", np.array([rows[int(k)] for k in keys], np.uint16))
    return {"words": len(strings), "keys": len(keys), "rows": vectors.shape[0], "dims": dims}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path, help="ja_ginza-5.3.0-py3-none-any.whl")
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--out", type=Path, default=VECTORS_DIR)
    args = parser.parse_args(argv)
    print(json.dumps(build(args.wheel, args.dims, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
