"""Text-level helpers for XPath expressions in Schematron rules.

Rule contexts are XSLT match patterns; we run them as ordinary expressions from the document
node. That needs a split at the top level only (never inside predicates, calls or string
literals), which is what :func:`split_top_level` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

# XSLT's current() is the rule's context node; a variable carries it into both XPath engines.
CURRENT_VARIABLE = "_interop_current"

_CURRENT_CALL = re.compile(r"(?<![\w.:$-])current\s*\(\s*\)")
# Pattern branches that are already rooted (id() and key() select from the whole document).
_ROOTED_CALL = re.compile(r"^(id|key|doc|document|element-with-id)\s*\(")
# A last step that may select attributes, text, comments or the document itself.
_NON_ELEMENT_STEP = re.compile(
    r"^(@|attribute::|namespace::|text\s*\(|comment\s*\(|processing-instruction\s*\("
    r"|node\s*\(|self::|descendant-or-self::|\.|\(|\$)"
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}
# A location path once literals and bracket contents are removed (see _skeleton).
_PATH_SKELETON = re.compile(r"^[\w.\-:*@/$()\[\]]+$")
_MULTIPLY = re.compile(r"[\w.)\]]\*")
_CALL = re.compile(r"^[\w.-]+(:[\w.-]+)?\(")
_NODE_TEST = re.compile(r"^(text|node|comment|processing-instruction)\(")
# Names, wildcards, axes, steps and unions only: no predicates, calls, variables or literals.
_PLAIN_PATH = re.compile(r"^[\w.\-:*@/|]+$")


def split_top_level(expr: str, separator: str) -> list[str]:
    """Split ``expr`` at every single-character ``separator`` outside brackets and strings."""
    parts: list[str] = []
    start = 0
    for index in _top_level_positions(expr, separator):
        parts.append(expr[start:index])
        start = index + 1
    parts.append(expr[start:])
    return parts


def context_expression(pattern: str) -> str:
    """Turn an XSLT match pattern into an expression evaluated from the document node.

    A relative branch ``a/b`` matches any ``b`` child of an ``a`` anywhere, which is exactly
    ``//a/b``; rooted branches (``/``, ``//x``, ``id('x')``) are kept as they are.
    """
    branches = []
    for branch in split_top_level(pattern, "|"):
        text = branch.strip()
        if not text:
            raise ValueError(f"empty branch in rule context {pattern!r}")
        rooted = text.startswith("/") or _ROOTED_CALL.match(text)
        branches.append(text if rooted else f"//{text}")
    return " | ".join(branches)


def may_select_non_elements(expr: str) -> bool:
    """Whether a pattern or path can select the document, attributes or text, not elements only.

    Judged by the last step of each branch, erring towards yes. lxml focuses XPath 1 on
    elements only, so such rules also get an elementpath fallback, and such lets are inlined.
    """
    for branch in split_top_level(expr, "|"):
        text = branch.strip()
        if text == "/":
            return True
        slashes = list(_top_level_positions(text, "/"))
        last_step = text[slashes[-1] + 1 :] if slashes else text
        if _NON_ELEMENT_STEP.match(last_step.strip()):
            return True
    return False


def anchor_paths(expr: str, anchor: str) -> str | None:
    """Rewrite a union of location paths so that it no longer depends on the context node.

    ``a/@b | //c/@d`` anchored at ``$n/`` becomes ``($n/a/@b | //c/@d)``: the same nodes, from
    anywhere. The XPath 1 binding inlines lets holding attribute or text nodes this way, since
    libxml2 cannot pass such node-sets back as variables.

    Returns:
        The anchored expression, or None when ``expr`` is not a union of plain location paths
        (an operator, a parenthesised step or a function other than ``id()`` at the top level).
    """
    anchored = []
    for branch in split_top_level(expr, "|"):
        text = branch.strip()
        skeleton = _skeleton(text)
        if not _is_path(skeleton):
            return None
        rooted = skeleton.startswith(("/", "$")) or (
            _CALL.match(skeleton) and not _NODE_TEST.match(skeleton)
        )
        anchored.append(text if rooted else f"{anchor}{text}")
    return f"({' | '.join(anchored)})"


def is_plain_path(expr: str) -> bool:
    """Whether ``expr`` is a union of location paths without predicates or function calls.

    Such paths select the same nodes in XPath 1 and XPath 2, so libxml2 can run them for the
    XPath 2 binding too. The document node (``/`` alone) and namespace nodes are excluded
    because lxml does not return them as nodes.
    """
    compact = "".join(expr.split())
    if not _PLAIN_PATH.match(compact) or "namespace::" in compact:
        return False
    return all(branch not in ("", "/") for branch in compact.split("|"))


def replace_current(expr: str) -> str:
    """Replace XSLT ``current()`` calls by the variable that holds the rule context node."""
    pieces = []
    for literal, text in _segments(expr):
        pieces.append(text if literal else _CURRENT_CALL.sub(f"${CURRENT_VARIABLE}", text))
    return "".join(pieces)


def uses_current(expr: str) -> bool:
    """Whether ``expr`` (after :func:`replace_current`) refers to the rule context node."""
    return f"${CURRENT_VARIABLE}" in expr


def substitute_params(text: str, params: Mapping[str, str]) -> str:
    """Replace ``$name`` references by abstract-pattern parameter values (longest name first)."""
    for name in sorted(params, key=len, reverse=True):
        # Backslashes are the only special characters in a replacement template.
        replacement = params[name].replace("\\", "\\\\")
        text = re.sub(rf"\${re.escape(name)}(?![\w.-])", replacement, text)
    return text


def _is_path(skeleton: str) -> bool:
    # Whitespace outside predicates means an operator (and, or, div, mod, =, -); so do '=' and
    # friends, a '*' right after a name (multiplication) and a leading parenthesis.
    return bool(
        _PATH_SKELETON.match(skeleton)
        and not skeleton.startswith("(")
        and not _MULTIPLY.search(skeleton)
    )


def _skeleton(expr: str) -> str:
    """``expr`` without literals and without the insides of brackets and parentheses."""
    kept = []
    depth = 0
    for _, char, literal in _characters(expr):
        if literal:
            continue
        if char in ")]}":
            depth -= 1
        if depth == 0:
            kept.append(char)
        if char in "([{":
            depth += 1
    return "".join(kept)


def _top_level_positions(expr: str, separator: str) -> Iterator[int]:
    closers: list[str] = []
    for index, char, literal in _characters(expr):
        if literal:
            continue
        if char in _OPENERS:
            closers.append(_OPENERS[char])
        elif closers and char == closers[-1]:
            closers.pop()
        elif char == separator and not closers:
            yield index


def _characters(expr: str) -> Iterator[tuple[int, str, bool]]:
    """Yield each character with a flag telling whether it is inside a literal or comment."""
    position = 0
    for literal, text in _segments(expr):
        for offset, char in enumerate(text):
            yield position + offset, char, literal
        position += len(text)


def _segments(expr: str) -> Iterator[tuple[bool, str]]:
    """Split ``expr`` into (is_literal, text) runs; XPath 2 comments ``(: :)`` count as literal."""
    start = index = 0
    while index < len(expr):
        char = expr[index]
        if char in "'\"":
            end = expr.find(char, index + 1)
        elif expr.startswith("(:", index):
            end = expr.find(":)", index + 2) + 1
        else:
            index += 1
            continue
        end = len(expr) - 1 if end <= 0 else end
        if index > start:
            yield False, expr[start:index]
        yield True, expr[index : end + 1]
        start = index = end + 1
    if start < len(expr):
        yield False, expr[start:]
