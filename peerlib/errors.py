"""Errors a person can act on: each says what was wrong, where, and what to do."""


class PeerlibError(Exception):
    """Base class of every error peerlib raises on purpose."""


class ContentError(PeerlibError, ValueError):
    """A content file (question bank, article, exercise, curation or trainer file) is
    malformed or cannot be read.

    ``problems`` lists every problem found (each already names its file and line or row).
    """

    def __init__(self, message, problems=None):
        self.problems = list(problems) if problems else [message]
        super().__init__(message)


BankFormatError = ContentError  # its earlier name


class UnknownIdError(PeerlibError, LookupError, ValueError):
    """An id (question, competency, module, exercise, prompt) that the content does not have
    (a ValueError too, as it was before it had its own type)."""


class ProgressError(PeerlibError, ValueError):
    """A value given to the progress store is invalid (unknown id, out-of-range rating…)."""


class ProgressFileError(ProgressError):
    """A progress export file cannot be imported (foreign, newer, corrupt or too large)."""


class SchemaVersionError(PeerlibError, RuntimeError):
    """The progress database was written by a newer version of peerlib."""


class NoLearnerError(PeerlibError, LookupError):
    """No learner has been chosen yet."""


class NotOwnerError(PeerlibError, PermissionError):
    """A learner's progress store was opened by another learner."""


class StoreBusyError(PeerlibError, RuntimeError):
    """A write waited too long for another write of the same learner."""


class HubError(PeerlibError, RuntimeError):
    """The course service could not be reached, or refused a request."""
