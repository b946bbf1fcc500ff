"""MinHash signatures in the numpy format

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Near-duplicate signatures are now computed with numpy (``mxwatch.pipelines.near_duplicates``): same size (64
uint32), same kind (affine permutations of 32-bit shingle hashes), different values, so a signature stored
before cannot be compared with a new one. Every stored signature is recomputed from the article's text (the
text is stored with it). Downgrading recomputes them the old way (datasketch's ``MinHash.update_batch``).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Rows read and rewritten at a time: a large database is not loaded into memory at once.
CHUNK = 1000
_ARTICLE = sa.table("article", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                    sa.column("minhash", sa.LargeBinary))


def _recompute(signature: Callable[[str], bytes]) -> None:
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.select(_ARTICLE.c.id, _ARTICLE.c.text)
                            .where(_ARTICLE.c.id > last, _ARTICLE.c.minhash.is_not(None))
                            .order_by(_ARTICLE.c.id).limit(CHUNK)).all()
        if not rows:
            return
        bind.execute(sa.update(_ARTICLE).where(_ARTICLE.c.id == sa.bindparam("row_id"))
                     .values(minhash=sa.bindparam("signature")),
                     [{"row_id": row_id, "signature": signature(text or "")} for row_id, text in rows])
        last = rows[-1][0]


def _numpy_signature(text: str) -> bytes:
    from mxwatch.pipelines import near_duplicates

    return near_duplicates.to_bytes(near_duplicates.minhash(text))


def _datasketch_signature(text: str) -> bytes:
    # The format before this revision, frozen here: datasketch MinHash (affine32, 64 permutations, seed 1) of
    # the set of 5-word shingles, each SHA-1-hashed by datasketch.
    import numpy as np
    from datasketch import MinHash

    from mxwatch.pipelines.near_duplicates import normalise_words

    words = normalise_words(text)
    shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    mh = MinHash(num_perm=64, scheme="affine32")
    mh.update_batch([s.encode() for s in shingles])
    return mh.hashvalues.astype(np.uint32).tobytes()


def upgrade() -> None:
    """Recompute every stored signature in the numpy format."""
    _recompute(_numpy_signature)


def downgrade() -> None:
    """Recompute every stored signature in datasketch's format."""
    _recompute(_datasketch_signature)
