"""peerlib: the helper package of the Peer Support Trainer Workbook."""

from .bank import load_bank, load_competencies
from .errors import (
    BankFormatError,
    NoLearnerError,
    PeerlibError,
    ProgressError,
    ProgressFileError,
    SchemaVersionError,
)
from .importers import parse_article

__version__ = "0.1.0"

__all__ = [
    "BankFormatError",
    "NoLearnerError",
    "PeerlibError",
    "ProgressError",
    "ProgressFileError",
    "SchemaVersionError",
    "load_bank",
    "load_competencies",
    "parse_article",
]
