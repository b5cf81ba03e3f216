"""peerlib: the helper package of the Peer Support Trainer Workbook."""

from .errors import (
    BankFormatError,
    HubError,
    NoLearnerError,
    NotOwnerError,
    PeerlibError,
    ProgressError,
    ProgressFileError,
    SchemaVersionError,
)

__version__ = "0.1.0"

# Loaded on first use (``peerlib.load_bank``…), not by ``import peerlib``: a notebook cell
# imports only what its widget needs (the question bank and the store's database layer,
# SQLAlchemy, are loaded when something first asks for them), so pages open faster.
_LAZY = {
    "ProgressStore": "store",
    "current_learner": "learner",
    "load_bank": "bank",
    "load_competencies": "bank",
    "load_icrc_domains": "bank",
    "parse_article": "importers",
    "set_learner": "learner",
}

__all__ = [
    "BankFormatError",
    "HubError",
    "NoLearnerError",
    "NotOwnerError",
    "PeerlibError",
    "ProgressError",
    "ProgressFileError",
    "SchemaVersionError",
    *_LAZY,
]


def __getattr__(name: str):
    """The names above, and the modules (``peerlib.bank`` after ``import peerlib``), on first use."""
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if not name.startswith("__"):
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'peerlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
