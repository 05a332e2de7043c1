"""Errors the command line reports as one line with an exit status, never a traceback."""

from __future__ import annotations

__all__ = ["EnvironmentFailure", "SoftmaxVideoError"]


class SoftmaxVideoError(Exception):
    """A failure the user can act on: ``str(error)`` is one line; ``exit_status`` is the code.

    Examples
    --------
    >>> error = SoftmaxVideoError("lecture.pace = -1: must be >= 0.1")
    >>> str(error), error.exit_status
    ('lecture.pace = -1: must be >= 0.1', 2)
    """

    exit_status: int = 2

    def __init__(self, message: str, *, exit_status: int | None = None, log: str | None = None):
        super().__init__(message)
        if exit_status is not None:
            self.exit_status = exit_status
        #: Path of a log with the full details (printed after the line), if any.
        self.log = log


class EnvironmentFailure(SoftmaxVideoError):
    """The machine, not the input, is at fault: a missing program, a full disk, a
    folder that cannot be written. The message names the cause and the fix."""

    exit_status = 1
