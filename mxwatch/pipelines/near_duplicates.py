"""Recognise republished copies: exact content hashes and MinHash-LSH near-duplicates (datasketch)."""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
# Explicit scheme: stored hash values must be read back with the scheme that made them (uint32 values).
SCHEME = "affine32"
SHINGLE_WORDS = 5
# LSH finds candidates at about this Jaccard similarity; a syndicated copy with a new dateline, a trimmed
# footer or an edited intro stays well above it, while two stories on the same topic stay far below.
THRESHOLD = 0.6
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_words(text: str) -> list[str]:
    """Lowercase word tokens, the unit both hashes are computed on."""
    return _WORD.findall(text.lower())


def content_hash(text: str) -> str:
    """SHA-256 of the text's words: equal for copies that differ only in spacing, case or punctuation."""
    return hashlib.sha256(" ".join(normalise_words(text)).encode()).hexdigest()


def minhash(text: str) -> MinHash:
    """MinHash of the text's word shingles."""
    words = normalise_words(text)
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    mh.update_batch([s.encode() for s in shingles])
    return mh


def to_bytes(mh: MinHash) -> bytes:
    """Serialise a MinHash's hash values for storage."""
    return mh.hashvalues.astype(np.uint32).tobytes()


def from_bytes(data: bytes) -> MinHash:
    """Rebuild a MinHash from stored hash values."""
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=SCHEME)


class DuplicateIndex:
    """In-memory LSH index of stored originals, to find which one a new text republishes."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._hashes: dict[int, MinHash] = {}
        self.max_id = 0  # the newest stored article id seen: later ones are read in by the next refresh

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, article_id: int, mh: MinHash) -> None:
        """Index an original article."""
        if article_id not in self._hashes:
            self._lsh.insert(article_id, mh)
            self._hashes[article_id] = mh
        self.max_id = max(self.max_id, article_id)

    def original_of(self, mh: MinHash) -> int | None:
        """The indexed article this text most resembles above the threshold (the oldest on ties), or None."""
        best: tuple[float, int] | None = None
        for candidate in self._lsh.query(mh):
            score = mh.jaccard(self._hashes[candidate])
            if score >= THRESHOLD and (best is None or (score, -candidate) > (best[0], -best[1])):
                best = (score, candidate)
        return best[1] if best else None
