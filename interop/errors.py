"""The exceptions a user may see. Each carries a message a person can act on.

The CLI turns these into one-line errors and exit codes; nothing else should reach a user.
"""

from __future__ import annotations


class InteropError(Exception):
    """Base class for every error the toolkit raises on purpose."""

    exit_code = 2


class UnreadableInput(InteropError, ValueError):
    """Input that cannot be read as a document: missing, too large, malformed or hostile.

    Attributes:
        path: the file (or ``-`` for standard input) the problem is in.
        line: 1-based line of the problem, when known.
        column: 1-based column of the problem, when known.
        reason: what is wrong and, where possible, what to do.
    """

    def __init__(
        self, path: str, reason: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.reason}"


class HostileInput(UnreadableInput):
    """Input refused because it uses XML features that can attack the reader (DTDs, entities)."""


class SchemaError(InteropError, ValueError):
    """A schema, catalog or rules file that cannot be compiled or resolved offline."""


class RenderError(InteropError):
    """A notice that cannot be made from a document: invalid, or a template asks for what the
    document or its schema does not have (exit status 1)."""

    exit_code = 1


class UsageError(InteropError, ValueError):
    """Options that do not fit together or name something that does not exist."""
