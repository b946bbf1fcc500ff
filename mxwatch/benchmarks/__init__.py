"""``make bench``: mxwatch's stages against the bare tools they are built on, in the same run, and its extraction
against the peers a user would otherwise pick. One module per measurement; ``run`` ties them together and
``report`` writes BENCHMARKS.md."""
