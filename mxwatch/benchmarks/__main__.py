"""``python -m mxwatch.benchmarks``: see mxwatch.benchmarks.run."""

import sys

from mxwatch.benchmarks.run import main

sys.exit(main())
