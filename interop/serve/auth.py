"""Bearer tokens: who may call the service, and by which name the audit log knows them.

The token file holds one ``name:token`` per line (``#`` starts a comment). Names are what the
audit log records; tokens are compared in constant time, as SHA-256 digests so that neither
their length nor their content shows in the time a refusal takes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from interop.errors import UsageError

LOCAL: Final = "local"  # who the audit log names when the service runs without tokens
MIN_TOKEN_LENGTH: Final = 16
_NAME: Final = re.compile(r"[A-Za-z0-9._@-]{1,64}")


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of a token file, by the SHA-256 digest of each token."""

    digests: tuple[tuple[bytes, str], ...]

    def who(self, authorization: str | None) -> str | None:
        """The name of the caller whose ``Authorization`` header this is, or None."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        presented = hashlib.sha256(token.strip().encode("utf-8", "replace")).digest()
        found = None
        for digest, name in self.digests:  # no early exit: every token costs the same
            if hmac.compare_digest(digest, presented):
                found = name
        return found


def load_tokens(path: str) -> Tokens:
    """Read a token file.

    Raises:
        UsageError: the file is missing, readable by others, or has a bad line.
    """
    file = Path(path)
    try:
        mode = file.stat().st_mode
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the token file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the token file is not UTF-8 text") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(f"{path}: the token file is readable by others; chmod 600 {path}")
    entries: list[tuple[bytes, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            entries.append(_entry(f"{path}:{number}", stripped, entries))
    if not entries:
        raise UsageError(f"{path}: the token file holds no token (write name:token lines)")
    return Tokens(tuple(entries))


def _entry(where: str, line: str, known: list[tuple[bytes, str]]) -> tuple[bytes, str]:
    name, sep, token = (part.strip() for part in line.partition(":"))
    if not sep or not _NAME.fullmatch(name):
        raise UsageError(f"{where}: write name:token (a name of letters, digits, . _ @ -)")
    if len(token) < MIN_TOKEN_LENGTH or any(c.isspace() for c in token):
        raise UsageError(
            f"{where}: the token of {name!r} needs at least {MIN_TOKEN_LENGTH} characters "
            "and no spaces (e.g. from: openssl rand -hex 32)"
        )
    digest = hashlib.sha256(token.encode("utf-8")).digest()
    if any(name == other for _, other in known):
        raise UsageError(f"{where}: {name!r} appears twice; names must be unique")
    if any(digest == other for other, _ in known):
        raise UsageError(f"{where}: {name!r} has the token of another name; give each its own")
    return digest, name
