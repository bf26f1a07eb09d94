"""The Apertium engine: rule-based translation with the language-pair packages installed here.

Pairs are discovered from the installed modes (``/usr/share/apertium/modes/eng-spa.mode``):
a mode ``xxx-yyy`` translates language ``xxx`` into ``yyy``; Apertium names languages with
three-letter (ISO 639-3) or two-letter codes, mapped here to ISO 639-1. Variant modes
(``spa-eng_US``) and other pipelines (``eco-fr-es``) are left out. The model recorded is the
Debian package that installed the mode (``apertium-eng-spa``), with its package version.

One ``apertium`` process translates a whole batch: segments are sent as blocks separated by a
blank line, which Apertium's plain-text format keeps as a paragraph break (tested). To keep the
blocks countable, the whitespace around each segment is set aside and put back afterwards, and a
blank line inside a segment splits it into pieces translated separately.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Final

from interop.translate.engine import EngineError, EngineInfo

ENGINE: Final = "apertium"
MODES_DIR: Final = Path("/usr/share/apertium/modes")
TIMEOUT_SECONDS: Final = 600
_SEPARATOR: Final = "\n\n"
_BLANK_LINES = re.compile(r"[^\S\n]*\n[^\S\n]*\n\s*")
_MODE = re.compile(r"([a-z]{2,3})-([a-z]{2,3})")
_PACKAGE = re.compile(r"/(apertium-[a-z]{2,3}-[a-z]{2,3})/")
# A word that Apertium wrongly starts with a capital when it follows a protected token
# (ZQ1Z) or an initial (K.): it takes either for the end of a sentence.
_AFTER_ANCHOR = re.compile(
    r"(?P<anchor>ZQ\d+Z|(?<![\w.])[^\W\d_]\.)(?P<space>\s+)(?P<word>[^\W\d_][\w'\u2019]*)"
)

# ISO 639-3 (and 639-2/B) codes Apertium uses for the languages it has pairs of -> ISO 639-1.
ISO_639_1: Final = {
    "afr": "af", "ara": "ar", "arg": "an", "bel": "be", "bos": "bs", "bre": "br", "bul": "bg",
    "cat": "ca", "ces": "cs", "cym": "cy", "dan": "da", "deu": "de", "ell": "el", "eng": "en",
    "epo": "eo", "est": "et", "eus": "eu", "fao": "fo", "fin": "fi", "fra": "fr", "fre": "fr",
    "gle": "ga", "glg": "gl", "hbs": "sh", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu",
    "isl": "is", "ita": "it", "kaz": "kk", "lav": "lv", "lit": "lt", "mkd": "mk", "mlt": "mt",
    "nld": "nl", "nno": "nn", "nob": "nb", "nor": "no", "oci": "oc", "pol": "pl", "por": "pt",
    "ron": "ro", "rus": "ru", "slk": "sk", "slv": "sl", "spa": "es", "sqi": "sq", "srd": "sc",
    "srp": "sr", "swe": "sv", "tat": "tt", "tur": "tr", "ukr": "uk", "urd": "ur", "zlm": "ms",
}  # fmt: skip
_ISO_639_3: Final = {two: three for three, two in ISO_639_1.items() if three != "fre"}


def package_hint(source: str, target: str) -> str:
    """The package that would most likely provide a pair, to name in error messages."""
    return f"apertium-{_ISO_639_3.get(source, source)}-{_ISO_639_3.get(target, target)}"


def iso_639_1(code: str) -> str:
    """ISO 639-1 for an Apertium language code (a code without one is kept as it is)."""
    return ISO_639_1.get(code, code)


class ApertiumEngine:
    """Translates with the ``apertium`` command and the installed language-pair modes."""

    name = "apertium"

    def __init__(self, modes_dir: Path = MODES_DIR, command: str = "apertium") -> None:
        """Find the ``apertium`` command.

        Raises:
            EngineError: Apertium is not installed.
        """
        found = shutil.which(command)
        if found is None:
            raise EngineError(
                "the apertium engine needs Apertium: apt-get install apertium and a "
                "language-pair package (e.g. apertium-eng-spa)"
            )
        self.command = found
        self.modes_dir = modes_dir

    @cached_property
    def _modes(self) -> dict[tuple[str, str], str]:
        modes: dict[tuple[str, str], str] = {}
        for path in sorted(self.modes_dir.glob("*.mode")):
            match = _MODE.fullmatch(path.stem)
            if match:
                pair = (iso_639_1(match[1]), iso_639_1(match[2]))
                modes.setdefault(pair, path.stem)
        return modes

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The pairs of the installed modes, in ISO 639-1 codes."""
        return frozenset(self._modes)

    def info(self, source: str, target: str) -> EngineInfo:
        """The language-pair package and its installed version.

        Raises:
            EngineError: the pair is not installed.
        """
        package = self._package(self._mode(source, target))
        return EngineInfo(engine=ENGINE, model=package, model_version=_version(package))

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate the segments with one ``apertium`` process.

        Raises:
            EngineError: the pair is not installed, or Apertium failed.
        """
        mode = self._mode(source, target)
        layouts = [_Layout.of(segment) for segment in segments]
        pieces = [piece for layout in layouts for piece in layout.pieces]
        outputs = [keep_case(a, b) for a, b in zip(pieces, self._run(mode, pieces), strict=True)]
        translated = iter(outputs)
        return [layout.fill(translated) for layout in layouts]

    def _mode(self, source: str, target: str) -> str:
        mode = self._modes.get((source, target))
        if mode is None:
            raise EngineError(
                f"Apertium cannot translate {source}->{target} here: install "
                f"{package_hint(source, target)} with apt-get"
            )
        return mode

    def _package(self, mode: str) -> str:
        # The mode file is the pipeline; its data paths name the package folder.
        text = (self.modes_dir / f"{mode}.mode").read_text(encoding="utf-8", errors="replace")
        match = _PACKAGE.search(text)
        return match[1] if match else f"apertium-{mode}"

    def _run(self, mode: str, pieces: list[str]) -> list[str]:
        if not pieces:
            return []
        outputs = self._call(mode, _SEPARATOR.join(pieces)).split(_SEPARATOR)
        outputs = [output.strip() for output in outputs]
        if outputs and not outputs[-1] and len(outputs) == len(pieces) + 1:
            outputs.pop()  # a final newline
        if len(outputs) != len(pieces):
            # Never guess which block is which: one process per piece is slow but certain.
            outputs = [self._call(mode, piece).strip() for piece in pieces]
        return outputs

    def _call(self, mode: str, text: str) -> str:
        try:
            done = subprocess.run(
                [self.command, "-u", "-f", "txt", mode],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"apertium {mode} failed: {exc}") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise EngineError(
                f"apertium {mode} failed (exit {done.returncode}): "
                + (message[-1] if message else "no message")
            )
        return done.stdout.decode("utf-8", "replace")


def keep_case(source: str, translated: str) -> str:
    """Undo the capital Apertium puts on a word after a protected token or an initial.

    Where the source goes on in lower case after such an anchor (``ZQ1Z con fines``,
    ``Dariusz K. y otros``), the translation's word after the same anchor is put back in lower
    case (``ZQ1Z avec des fins``, ``K. et autrui``). An anchor the source also follows with a
    capital is left alone, and so are acronyms (``UE``) and the pronoun ``I``.
    """
    lower: set[str] = set()
    upper: set[str] = set()
    for match in _AFTER_ANCHOR.finditer(source):
        (lower if match["word"][0].islower() else upper).add(match["anchor"])
    anchors = lower - upper
    if not anchors:
        return translated

    def fix(match: re.Match[str]) -> str:
        word = match["word"]
        rest = word[1:].lstrip("'\u2019")
        capitalised = word[0].isupper() and (rest[:1].islower() or (not rest and word != "I"))
        if match["anchor"] not in anchors or not capitalised:
            return match[0]
        return f"{match['anchor']}{match['space']}{word[0].lower()}{word[1:]}"

    return _AFTER_ANCHOR.sub(fix, translated)


class _Layout:
    """A segment's text pieces with the whitespace around and between them."""

    __slots__ = ("gaps", "pieces")

    def __init__(self, pieces: list[str], gaps: list[str]) -> None:
        self.pieces = pieces  # no blank line inside, no whitespace around
        self.gaps = gaps  # len(pieces) + 1 runs of whitespace

    @classmethod
    def of(cls, segment: str) -> _Layout:
        core = segment.strip()
        if not core:
            return cls([], [segment])
        start = segment.index(core[0])
        lead, trail = segment[:start], segment[start + len(core) :]
        pieces, gaps, position = [], [lead], 0
        for blank in _BLANK_LINES.finditer(core):
            pieces.append(core[position : blank.start()])
            gaps.append(blank.group())
            position = blank.end()
        pieces.append(core[position:])
        gaps.append(trail)
        return cls(pieces, gaps)

    def fill(self, translated: Iterator[str]) -> str:
        parts = [self.gaps[0]]
        for piece_gap in self.gaps[1:]:
            parts.extend((next(translated), piece_gap))
        return "".join(parts)


@cache
def _version(package: str) -> str:
    commands = (
        ["dpkg-query", "-W", "-f", "${Version}", package],
        ["pkg-config", "--modversion", package],  # pairs built from source install a .pc
    )
    for command in commands:
        try:
            done = subprocess.run(command, capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        version = done.stdout.decode("utf-8", "replace").strip()
        if done.returncode == 0 and version:
            return version
    return "unknown"
