"""Convert one file: read, convert, validate the output, write it only when it is valid.

The order is fixed here so that no converter can skip a step: the common side is validated
with our validator, the national side with the converter's own check where it has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from interop.convert.converter import Attachment, Converter, Direction
from interop.convert.loss import LossReport
from interop.errors import UnreadableInput, UsageError
from interop.validate.findings import Finding, Severity
from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import read_capped, write_atomic

# A converter may offer this to check what it wrote (e.g. against the national XSD).
OutputCheck = Callable[[bytes], list[Finding]]


@dataclass(frozen=True, slots=True)
class FileConversion:
    """What happened to one input file.

    Attributes:
        source: the input path.
        output: where the result was written, or None when nothing was written.
        loss: everything not carried over, both steps together.
        findings: validation findings on the output (any error keeps it from being written).
        error: why the input could not be read, if it could not.
        data: the converted bytes, when conversion got that far.
        attachments: the files that go with the output (written next to it when it is).
    """

    source: str
    output: str | None
    loss: LossReport = field(default_factory=LossReport)
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    data: bytes | None = None
    attachments: tuple[Attachment, ...] = ()
    media_type: str = "application/xml"

    @property
    def unreadable(self) -> bool:
        return self.error is not None

    @property
    def output_invalid(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


class Pipeline:
    """Converts files from one format to another through the common formats."""

    def __init__(
        self,
        source: Converter,
        target: Converter,
        max_bytes: int,
        validator: Validator | None = None,
    ) -> None:
        _require(source, Direction.TO_COMMON)
        _require(target, Direction.FROM_COMMON)
        self.source = source
        self.target = target
        self.max_bytes = max_bytes
        self._validator = validator or Validator(ValidationSettings())

    def convert(self, path: str, output: Path | None) -> FileConversion:
        """Convert ``path``; write to ``output`` (None: only check) when the result is valid.

        The output's attachments are written into the output's folder, all or none: if one
        write fails, the files this conversion already wrote are removed again.
        """
        try:
            data = read_capped(Path(path), self.max_bytes)
        except UnreadableInput as exc:
            return FileConversion(path, None, error=str(exc))
        done = self.convert_bytes(data, path)
        if output is None or done.data is None or done.error or done.output_invalid:
            return done
        try:
            _write_all(output, done.data, done.attachments, Path(path))
        except (OSError, UsageError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return FileConversion(path, None, done.loss, done.findings, error=f"{output}: {reason}")
        return replace(done, output=str(output))

    def convert_bytes(self, data: bytes, path: str) -> FileConversion:
        """Convert a document held in memory (``path`` names it); nothing is written."""
        if len(data) > self.max_bytes:
            limit = self.max_bytes // (1024 * 1024)
            reason = f"file is larger than the {limit} MB limit; split it or raise the limit"
            return FileConversion(path, None, error=str(UnreadableInput(path, reason)))
        try:
            to_common = self.source.to_common(data, path)
            findings = list(self._validator.check_tree(to_common.document, path).findings)
            loss = list(to_common.loss.entries)
            if _has_errors(findings):
                return FileConversion(path, None, LossReport(tuple(loss)), tuple(findings))
            from_common = self.target.from_common(to_common.document)
            loss.extend(from_common.loss.entries)
            findings.extend(self._check_output(from_common.data))
        except (UnreadableInput, UsageError) as exc:
            # One bad file does not stop a batch; it is reported with its reason.
            return FileConversion(path, None, error=str(exc))
        return FileConversion(
            path,
            None,
            LossReport(tuple(loss)),
            tuple(findings),
            data=from_common.data,
            attachments=from_common.attachments,
            media_type=from_common.media_type,
        )

    def _check_output(self, data: bytes) -> list[Finding]:
        check: OutputCheck | None = getattr(self.target, "check_output", None)
        return check(data) if check is not None else []


def _require(converter: Converter, direction: Direction) -> None:
    if direction not in converter.directions:
        can = "written" if direction is Direction.TO_COMMON else "read"
        cannot = "read" if direction is Direction.TO_COMMON else "written"
        raise UsageError(f"format {converter.name!r} can only be {can}, not {cannot}")


def _write_all(
    output: Path, data: bytes, attachments: tuple[Attachment, ...], source: Path
) -> None:
    """Write the attachments, then the output, each atomically; on failure remove them all.

    The output comes last so that whoever waits for it finds its attachments already there.

    Raises:
        UsageError: an attachment would overwrite the input, the output or another attachment.
        OSError: a write failed (whatever this call wrote is gone again).
    """
    targets = [output.parent / attachment.name for attachment in attachments]
    taken = {source.resolve(), output.resolve()}
    for target in targets:
        if target.resolve() in taken:
            raise UsageError(f"attachment {target.name} would overwrite the input or the output")
        taken.add(target.resolve())
    written: list[Path] = []
    try:
        for target, attachment in zip(targets, attachments, strict=True):
            write_atomic(target, attachment.data)
            written.append(target)
        write_atomic(output, data)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise


def _has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
