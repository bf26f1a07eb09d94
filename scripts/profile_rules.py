"""Show which business rules cost the most on a document (a development aid).

    .venv/bin/python scripts/profile_rules.py examples/request/eio-de-fr-fraud-banking.xml

For every rule: how many context nodes it selects and the time to select them and run its
tests with lxml's XPath 1 directly (the binding our engine uses for queryBinding="xslt").
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lxml import etree

from interop.formats import registry
from interop.validate.schematron_model import load_schema
from interop.xmlio import parse_file

REPEAT = 50


def _per_call(function: object, *args: object, **variables: object) -> float:
    start = time.perf_counter()
    for _ in range(REPEAT):
        function(*args, **variables)  # type: ignore[operator]
    return (time.perf_counter() - start) / REPEAT


def _rule_variables(
    lets: object, node: etree._Element, namespaces: dict[str, str]
) -> dict[str, object]:
    values: dict[str, object] = {}
    for let in lets:  # type: ignore[attr-defined]
        values[let.name] = etree.XPath(let.value, namespaces=namespaces)(node, **values)
    return values


def profile(document: Path) -> None:
    tree = parse_file(document)
    found = registry().detect(tree)
    if found is None:
        sys.exit(f"{document}: not a bundled document type")
    rows = []
    for rules_file in found.rules:
        model = load_schema(rules_file)
        for pattern in model.patterns:
            for rule in pattern.rules:
                context = rule.context if rule.context.startswith("/") else "//" + rule.context
                select = etree.XPath(context, namespaces=model.namespaces)
                nodes = select(tree)
                spent = _per_call(select, tree)
                for check in rule.checks:
                    test = etree.XPath(check.test, namespaces=model.namespaces, smart_strings=False)
                    for node in nodes:
                        try:
                            variables = _rule_variables(rule.lets, node, model.namespaces)
                            spent += _per_call(test, node, **variables)
                        except etree.XPathError:
                            pass  # current() exists only in XSLT: not timed here
                rows.append((spent, rules_file.name, rule.context, len(nodes)))
    total = sum(r[0] for r in rows)
    for spent, name, context, count in sorted(rows, reverse=True)[:15]:
        print(f"{spent * 1e6:8.0f} us  {name:18} {count:4} nodes  {context[:70]}")
    print(f"{total * 1e6:8.0f} us  in all ({len(rows)} rules), {sum(1 for _ in tree.iter())} nodes")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"== {arg}")
        profile(Path(arg))
