"""peerlib: the helper package of the Peer Support Trainer Workbook."""

from .bank import load_bank, load_competencies, load_icrc_domains
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
from .importers import parse_article
from .learner import current_learner, set_learner

__version__ = "0.1.0"

__all__ = [
    "BankFormatError",
    "HubError",
    "NoLearnerError",
    "NotOwnerError",
    "PeerlibError",
    "ProgressStore",
    "ProgressError",
    "ProgressFileError",
    "SchemaVersionError",
    "current_learner",
    "load_bank",
    "load_competencies",
    "load_icrc_domains",
    "parse_article",
    "set_learner",
]


def __getattr__(name: str):
    """``peerlib.ProgressStore`` on first use: the store's database layer (SQLAlchemy) is
    loaded only when a store is needed, so notebooks start faster."""
    if name == "ProgressStore":
        from .store import ProgressStore

        return ProgressStore
    raise AttributeError(f"module 'peerlib' has no attribute {name!r}")
