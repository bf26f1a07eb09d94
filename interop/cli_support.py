"""What every ``interop`` command shares: exit codes, one-line errors, terminal checks,
the progress bar and the refusal to write over an input."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class CliError(click.ClickException):
    """An error shown as one line, with the exit code of its kind."""

    exit_code = EXIT_USAGE

    def show(self, file: object = None) -> None:
        click.echo(f"interop: error: {self.format_message()}", err=True)


def refuse_writing_over(output: str, inputs: list[str]) -> None:
    target = Path(output).resolve()
    if any(Path(f).resolve() == target for f in inputs):
        raise CliError(f"{output}: would overwrite an input; choose another -o")


def is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def color_wanted() -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return is_tty(sys.stdout) and not os.environ.get("NO_COLOR")


@contextmanager
def progress_bar(
    total: int, enabled: bool, label: str = "validating"
) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error (yields its update function), or nothing."""
    if not enabled:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
