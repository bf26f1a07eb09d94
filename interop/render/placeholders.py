"""The named placeholders of a catalog message, and whether a translation keeps them all.

A translation that drops ``%(date)s`` leaves a legal notice without its date; one that adds an
unknown name fails at render time. Both are caught by the catalog check, not by a reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

_PLACEHOLDER: Final = re.compile(r"%\((\w+)\)[sd]|%%")


def placeholders(text: str) -> set[str]:
    """The names of the ``%(name)s`` placeholders in ``text``."""
    return {match.group(1) for match in _PLACEHOLDER.finditer(text) if match.group(1)}


def placeholder_problems(message_id: str | Sequence[str], strings: Sequence[str]) -> list[str]:
    """What is wrong with the placeholders of ``strings``, translations of ``message_id``.

    For a plural message every form must use the names of the English plural form, ``num``
    included: in many languages the first form also serves 21, 31, 101...
    """
    ids = [message_id] if isinstance(message_id, str) else list(message_id)
    wanted = set().union(*(placeholders(text) for text in ids))
    problems = []
    for index, text in enumerate(strings):
        found = placeholders(text)
        missing = wanted - found
        if missing:
            problems.append(f"form {index} lacks {', '.join(sorted(missing))}")
        if found - wanted:
            problems.append(f"form {index} has unknown {', '.join(sorted(found - wanted))}")
    return problems
