"""peerlib: the helper package of the Peer Support Trainer Workbook.

What notebooks and trainers call is listed in ``__all__``. Everything but the error types
loads on first use (``peerlib.load_bank``, ``peerlib.cohort``…), so ``import peerlib`` stays
quick and a notebook cell loads only what its widget needs.
"""

import importlib

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

__version__ = "0.1.0"

# name -> (module, attribute): loaded on first use
_LAZY = {
    "ProgressStore": ("store", "ProgressStore"),
    "analyze_answer": ("feedback", "analyze_answer"),
    "current_learner": ("learner", "current_learner"),
    "load_bank": ("bank", "load_bank"),
    "load_competencies": ("bank", "load_competencies"),
    "load_icrc_domains": ("bank", "load_icrc_domains"),
    "load_modules": ("curriculum", "load_modules"),
    "parse_article": ("importers", "parse_article"),
    "reload": ("content", "reload"),
    "set_learner": ("learner", "set_learner"),
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
