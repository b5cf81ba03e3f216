"""peerlib: the helper package of the Peer Support Trainer Workbook.

What notebooks and trainers call is listed in ``__all__``. The heavier parts (widgets,
charts, the progress store, cohorts and reports) load on first use, so ``import peerlib``
stays quick.
"""

import importlib

from .bank import load_bank, load_competencies, load_icrc_domains
from .content import reload
from .errors import (
    BankFormatError,
    ContentError,
    HubError,
    NoLearnerError,
    NotOwnerError,
    PeerlibError,
    ProgressError,
    ProgressFileError,
    SchemaVersionError,
    UnknownIdError,
)
from .importers import parse_article
from .learner import current_learner, set_learner

__version__ = "0.1.0"

# name -> (module, attribute): loaded on first use
_LAZY = {
    "ProgressStore": ("store", "ProgressStore"),
    "analyze_answer": ("feedback", "analyze_answer"),
    "load_modules": ("curriculum", "load_modules"),
}
# modules a notebook or trainer uses as ``peerlib.<module>``: loaded on first use
_MODULES = (
    "bank",
    "charts",
    "cohort",
    "content",
    "curriculum",
    "exercises",
    "feedback",
    "pages",
    "report",
    "widgets",
)

__all__ = [
    "BankFormatError",
    "ContentError",
    "HubError",
    "NoLearnerError",
    "NotOwnerError",
    "PeerlibError",
    "ProgressError",
    "ProgressFileError",
    "SchemaVersionError",
    "UnknownIdError",
    "current_learner",
    "load_bank",
    "load_competencies",
    "load_icrc_domains",
    "parse_article",
    "reload",
    "set_learner",
    *_LAZY,
    *_MODULES,
]


def __getattr__(name: str):
    """The lazy names of ``__all__`` (e.g. ``peerlib.ProgressStore``, ``peerlib.cohort``)."""
    if name in _LAZY:
        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attribute)
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'peerlib' has no attribute {name!r}")
