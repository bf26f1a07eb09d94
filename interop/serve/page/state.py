"""The working document, carried by the page's forms in a hidden field.

Base64 keeps the bytes exact: browsers normalise line breaks in submitted values, which would
change a document (and the SHA-256 the audit log records) without anyone editing it.
"""

from __future__ import annotations

import base64
import binascii

from interop.serve.problems import Problem


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str | None) -> bytes:
    """The document of a submitted form.

    Raises:
        Problem: 400 when the form carries no document or a damaged one.
    """
    if not text:
        raise Problem(400, "the form carries no document; open one on the start page")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise Problem(400, "the form's document is damaged; open it again") from None
