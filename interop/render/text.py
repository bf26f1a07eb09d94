"""A notice as plain text for e-mail: the HTML page, read back and laid out in wrapped lines.

The text is made from the same HTML as the other formats, so it says exactly the same things
(fixed wording, fields, the machine-translation labels, the unreviewed-catalog line). Headings
are underlined, fields are "Label: value" lines indented by depth, tables become one block per
row. Two languages follow each other section by section.
"""

from __future__ import annotations

import re
import textwrap
from typing import Final

from lxml import etree

from interop.xmlio import parse_bytes

WIDTH: Final = 78
_BLOCKS: Final = frozenset(
    {"p", "div", "section", "dl", "dt", "dd", "table", "tr", "h1", "h2", "h3", "header", "footer"}
)


def html_to_text(html: str) -> str:
    """Plain text of a notice page made by :func:`interop.render.html.render_html`."""
    # Our pages are well-formed XHTML-compatible HTML; the hardened parser reads them once the
    # doctype (which it refuses on principle) and the style sheet are left out.
    body = re.sub(r"^<!DOCTYPE html>\s*", "", html)
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.DOTALL)
    root = parse_bytes(body.encode("utf-8"), "notice.html").getroot()
    lines: list[str] = []
    for node in root.iter("h1", "div", "footer"):
        if node.tag == "h1":
            _heading(lines, _text(node), "=")
        elif node.get("class") == "column":
            _block(node, lines, 0)
            lines.append("")
        elif node.tag == "footer":
            for child in node:
                _paragraph(lines, _text(child), 0)
    return _tidy(lines)


def _block(node: etree._Element, lines: list[str], depth: int) -> None:
    for child in node:
        tag = child.tag
        if tag == "h2":
            _heading(lines, _text(child), "-")
        elif tag == "h3":
            lines += ["", _text(child)]
        elif tag == "p":
            text = _text(child)
            if "provenance" in (child.get("class") or ""):
                text = f"[{text}]"
            _paragraph(lines, text, depth)
        elif tag == "dl":
            _fields(child, lines, depth)
        elif tag == "table":
            _table(child, lines, depth)
        elif tag in _BLOCKS:
            _block(child, lines, depth)


def _fields(dl: etree._Element, lines: list[str], depth: int) -> None:
    label = ""
    for child in dl:
        if child.tag == "dt":
            label = _text(child)
        elif child.tag == "dd":
            nested = [n for n in child if n.tag in _BLOCKS]
            if nested:
                lines.append("  " * depth + f"{label}:")
                before = len(lines)
                _block(child, lines, depth + 1)
                inline = _text(child) if len(lines) == before else ""
                if inline:
                    _paragraph(lines, inline, depth + 1)
            else:
                _paragraph(lines, f"{label}: {_text(child, br=True)}", depth, hang=True)


def _table(table: etree._Element, lines: list[str], depth: int) -> None:
    headers = [_text(th) for th in table.iterfind("thead/tr/th")]
    for row in table.iterfind("tbody/tr"):
        cells = [_text(cell, br=True) for cell in row]
        lines.append("")
        for header, cell in zip(headers, cells, strict=False):
            if cell:
                _paragraph(lines, f"{header}: {cell}", depth, hang=True)


def _heading(lines: list[str], text: str, rule: str) -> None:
    lines += ["", text, rule * min(len(text), WIDTH)]


def _paragraph(lines: list[str], text: str, depth: int, *, hang: bool = False) -> None:
    """Wrapped lines; a "Label: value" line hangs its continuation lines under the value."""
    if not text:
        return
    indent = "  " * depth
    lines += textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + ("  " if hang else ""),
        break_long_words=False,
    )


def _text(node: etree._Element, *, br: bool = False) -> str:
    if br:
        for line_break in node.iter("br"):
            line_break.tail = ", " + (line_break.tail or "")
    return " ".join(" ".join(node.itertext()).split()).replace(" , ", ", ")


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line.rstrip())
    return "\n".join(out).strip() + "\n"
