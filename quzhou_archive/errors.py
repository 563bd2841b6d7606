"""Errors that reach the reader as one line naming the file (and line)."""
from __future__ import annotations


class ArchiveError(Exception):
    """A problem with an input file, reported as `file:line: message`."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):
        # as it was made: an error found in a worker process reaches the build's own
        # (pickled as exceptions are by default, it would not unpickle, and the pool
        # would wait for the batch for ever)
        return type(self), (self.path, self.message, self.line)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
