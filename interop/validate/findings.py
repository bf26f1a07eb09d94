"""What validation finds: one :class:`Finding` per problem, one :class:`FileReport` per file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; the values are the words used in every report format."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one document.

    Attributes:
        severity: error or warning.
        rule: the business rule id (e.g. ``REQ-003``), the XSD error kind (``xsd:...``) or
            ``xml:...`` for a document that could not be read.
        message: a plain sentence a clerk can act on.
        line: 1-based line in the file, when known.
        column: 1-based column, when known.
        xpath: the node's location with element names, e.g. ``/r:evidenceRequest/c:person[2]``.
    """

    severity: Severity
    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    xpath: str | None = None


@dataclass(frozen=True, slots=True)
class FileReport:
    """The validation result of one file.

    Attributes:
        path: the path as given by the user (``-`` for standard input).
        format: the detected document type (e.g. ``evidence-request``) or the schema used.
        findings: every finding, in document order where known.
        readable: False when the file could not be read as XML at all (exit code 2).
    """

    path: str
    format: str | None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    readable: bool = True

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def valid(self) -> bool:
        """True when the file was read and has no error (warnings do not make it invalid)."""
        return self.readable and self.errors == 0

    def fails(self, fail_on: Severity) -> bool:
        """Whether this file fails a run that fails on ``fail_on`` (error, or warning too)."""
        if not self.valid:
            return True
        return fail_on is Severity.WARNING and self.warnings > 0
