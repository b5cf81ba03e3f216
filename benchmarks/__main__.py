"""`python -m benchmarks` (or `make bench`) prints the benchmark table and the targets."""

import sys

from .run import main

sys.exit(main())
