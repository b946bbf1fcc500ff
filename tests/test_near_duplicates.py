"""The numpy MinHash signature: datasketch's affine32 permutations (a*h + b mod 2^32) of 32-bit shingle hashes,
the same values however long the text, and bounded memory on a huge one."""

from __future__ import annotations

import tracemalloc

import numpy as np
from datasketch import MinHash

from mxwatch.pipelines import near_duplicates as nd


def _reference(text: str) -> np.ndarray:
    """The signature by its definition, one shingle at a time in Python integers (mod 2^32 done by hand)."""
    words = nd.normalise_words(text)
    hashes = [int(h) for h in nd._word_hashes(words)]
    n = max(1, len(words) - nd.SHINGLE_WORDS + 1)
    a, b = MinHash(num_perm=nd.NUM_PERM, scheme="affine32", seed=1).permutations
    best = [2**32 - 1] * nd.NUM_PERM
    for start in range(n):
        shingle = sum(h * int(m) for h, m in zip(hashes[start : start + nd.SHINGLE_WORDS], nd._POSITION,
                                                  strict=False)) % 2**64
        top = int(nd._fmix64(np.array([shingle], dtype=np.uint64))[0]) >> 32
        best = [min(v, (int(ak) * top + int(bk)) % 2**32) for v, ak, bk in zip(best, a, b, strict=True)]
    return np.array(best, dtype=np.uint32)


def _text(words: int) -> str:
    return " ".join(f"w{i % 5003} v{i % 311}" for i in range(words // 2))


def test_signature_matches_its_definition_across_blocks() -> None:
    # Longer than one block of shingles, so that the block-wise minimum is checked against the whole one.
    text = _text(nd.SHINGLE_BLOCK + 3000)
    assert np.array_equal(nd.minhash(text).hashvalues, _reference(text))
    for short in ("", "one", "one two three four", "Nubexa will hire 350 engineers in Monterrey"):
        assert np.array_equal(nd.minhash(short).hashvalues, _reference(short))


def test_huge_text_signature_memory_is_bounded() -> None:
    text = _text(400_000)
    nd.minhash(text[:100])  # module-level arrays are built before measuring
    tracemalloc.start()
    try:
        signature = nd.minhash(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The words and per-shingle hashes take ~45 MB; the whole (shingles x 64) uint32 matrix alone would be 102 MB,
    # twice over while a*h + b is computed.
    assert peak < 80_000_000, f"peak {peak / 1e6:.0f} MB"
    assert signature.jaccard(nd.minhash(text)) == 1.0
