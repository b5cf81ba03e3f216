"""Timed runs of the trainer's cohort tools beside plain-pandas baselines: `python -m benchmarks`.

See benchmarks/README.md for what each step and each baseline does.
"""

from .run import main, run

__all__ = ["main", "run"]
