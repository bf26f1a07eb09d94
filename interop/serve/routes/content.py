"""How documents travel inside JSON answers, and how answered files are named."""

from __future__ import annotations

import base64
from pathlib import PurePath
from typing import Any, Final

_TEXT_TYPES: Final = ("application/xml", "application/json", "text/")


def content(data: bytes, media_type: str) -> dict[str, Any]:
    """``{"media_type", "encoding", "content"}``: text as text when it is text, else base64."""
    if media_type.startswith(_TEXT_TYPES) or media_type.endswith(("+xml", "+json")):
        try:
            return {"media_type": media_type, "encoding": "utf-8", "content": data.decode()}
        except UnicodeDecodeError:
            pass
    return {
        "media_type": media_type or "application/octet-stream",
        "encoding": "base64",
        "content": base64.b64encode(data).decode("ascii"),
    }


def stem(name: str) -> str:
    """A safe file-name stem from an upload's name (``document`` for a raw body)."""
    found = PurePath(name).stem if name not in ("", "-") else "document"
    return "".join(c for c in found if c.isalnum() or c in "-_.") or "document"
