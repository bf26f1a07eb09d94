"""Running a mapping spec: one engine, both directions, with every unused item reported.

The engine walks the spec, reads values from the source tree with XPath, writes them into a
new target tree along the target paths, and remembers every source element and attribute it
read. Whatever it did not read is reported as unconsumed; every required target left empty as
unfilled; every value a transform refused as rejected. Target paths are created in spec order,
so a spec lists its fields in the order the target schema wants them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.convert.mapping.spec import COMMON_NAMESPACES, Rule, Spec
from interop.convert.mapping.transforms import TransformError
from interop.validate.locate import named_xpath

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
QName = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class _Way:
    """One direction of a spec: which side is read and which is written."""

    to_common: bool

    def source(self, rule: Rule) -> str:
        return rule.national if self.to_common else rule.common

    def target(self, rule: Rule) -> str:
        return rule.common if self.to_common else rule.national

    def condition(self, rule: Rule) -> str | None:
        return rule.when_national if self.to_common else rule.when_common

    def convert(self, rule: Rule, value: str) -> str:
        if rule.transform is None:
            return value
        if self.to_common:
            return rule.transform.to_common(value)
        return rule.transform.from_common(value)


class Engine:
    """A compiled spec; :meth:`run` maps one tree in one direction."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._namespaces = dict(spec.namespaces)
        self._compiled: dict[str, etree.XPath] = {}
        self._prefixes = {uri: prefix for prefix, uri in spec.namespaces.items()}

    def to_common(self, tree: etree._ElementTree) -> tuple[etree._ElementTree, LossReport]:
        return self._run(tree, _Way(to_common=True))

    def from_common(self, tree: etree._ElementTree) -> tuple[etree._ElementTree, LossReport]:
        return self._run(tree, _Way(to_common=False))

    def _run(self, tree: etree._ElementTree, way: _Way) -> tuple[etree._ElementTree, LossReport]:
        root_name = self.spec.common_root if way.to_common else self.spec.national_root
        target = etree.Element(self.qname(root_name), nsmap=self._nsmap(way))
        run = _Run(self, way)
        run.rules(tree.getroot(), target, self.spec.rules)
        entries = run.loss + list(self._unconsumed(tree.getroot(), run.consumed, run.attributes))
        etree.cleanup_namespaces(target)  # declare only the namespaces actually used
        etree.indent(target)  # people read these files too
        return target.getroottree(), LossReport(tuple(entries))

    def _nsmap(self, way: _Way) -> dict[str | None, str]:
        common = set(COMMON_NAMESPACES.values())
        return {
            p: u
            for p, u in self._namespaces.items()
            if (u in common) == way.to_common and p != "cl"
        }

    def qname(self, step: str) -> str:
        """Clark notation of a prefixed step of a spec path."""
        prefix, _, local = step.rpartition(":")
        if not prefix:
            return local
        if prefix not in self._namespaces:
            raise KeyError(f"{self.spec.path.name}: unknown prefix {prefix!r} in {step!r}")
        return f"{{{self._namespaces[prefix]}}}{local}"

    def _unconsumed(
        self,
        root: etree._Element,
        consumed: set[etree._Element],
        attributes: set[tuple[etree._Element, str]],
    ) -> Iterator[LossEntry]:
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions carry no data
            # Paths are built only for what is reported: most nodes were consumed.
            for name, value in element.attrib.items():
                if (element, name) not in attributes and not name.startswith(f"{{{_XSI}}}"):
                    local = etree.QName(name).localname
                    path = named_xpath(element, self._prefixes)
                    yield LossEntry(LossKind.UNCONSUMED, f"{path}/@{local}", preview(value))
            if element is root or element in consumed:
                continue
            text = (element.text or "").strip()
            if text or (len(element) == 0 and not element.attrib):
                yield LossEntry(
                    LossKind.UNCONSUMED, named_xpath(element, self._prefixes), preview(text)
                )


class _Run:
    """The state of one mapping run: what was read, what was lost."""

    def __init__(self, engine: Engine, way: _Way) -> None:
        self.engine = engine
        self.way = way
        self.consumed: set[etree._Element] = set()
        self.attributes: set[tuple[etree._Element, str]] = set()
        self.loss: list[LossEntry] = []

    def rules(
        self, source: etree._Element, target: etree._Element, rules: tuple[Rule, ...]
    ) -> None:
        for rule in rules:
            condition = self.way.condition(rule)
            if condition and not self._xpath(source, f"boolean({condition})"):
                continue
            if rule.is_group:
                self._group(source, target, rule)
            else:
                self._field(source, target, rule)

    def _group(self, source: etree._Element, target: etree._Element, rule: Rule) -> None:
        path = self.way.source(rule)
        nodes = self._xpath(source, path) if path else []
        for node in nodes if isinstance(nodes, list) else []:
            if isinstance(node, etree._Element):
                self.consumed.add(node)
                item = _create(target, self.way.target(rule), self.engine.qname, new=True)
                self.rules(node, item, rule.children)

    def _field(self, source: etree._Element, target: etree._Element, rule: Rule) -> None:
        values = self._read(source, self.way.source(rule))
        destination = self.way.target(rule)
        if not destination:  # a constant of the other side: nothing to write here
            self._accept_default(source, rule, values)
            return
        if rule.join and values:
            values = values[0].split(rule.join) if self.way.to_common else [rule.join.join(values)]
        from_default = not values and rule.default is not None
        if from_default and (self.way.to_common or not self.way.source(rule)):
            values = [rule.default or ""]  # a default, or a constant of the national side
        else:
            from_default = False
        written = 0
        for value in values:
            if not self.way.to_common and not from_default and value == rule.default:
                written += 1  # the default comes back by itself; writing it would add noise
                continue
            try:
                converted = self.way.convert(rule, value)
            except TransformError as exc:
                self.loss.append(
                    LossEntry(LossKind.REJECTED, destination, preview(value), str(exc))
                )
                continue
            _write(target, destination, converted, self.engine.qname)
            written += 1
        if not written and rule.required:
            self.loss.append(
                LossEntry(LossKind.UNFILLED, _describe(target, destination), "", "no source value")
            )

    def _accept_default(self, source: etree._Element, rule: Rule, values: list[str]) -> None:
        # A common value that the national side cannot hold is fine when it is the default
        # the spec would restore; any other value is lost and must be reported.
        if values and rule.default is not None and all(v == rule.default for v in values):
            return
        self._unmark(source, self.way.source(rule))

    def _read(self, source: etree._Element, path: str) -> list[str]:
        if not path:
            return []
        found = self._xpath(source, path)
        values = []
        for item in found if isinstance(found, list) else [found]:
            if isinstance(item, etree._Element):
                self.consumed.add(item)
                values.append(item.text or "")
            elif isinstance(item, etree._ElementUnicodeResult) and item.is_attribute:
                parent = item.getparent()
                if parent is not None and item.attrname is not None:
                    self.attributes.add((parent, item.attrname))
                values.append(str(item))
            elif isinstance(item, str) and item:
                values.append(item)
        return [v.strip() for v in values if v.strip()]

    def _unmark(self, source: etree._Element, path: str) -> None:
        found = self._xpath(source, path)
        for item in found if isinstance(found, list) else []:
            if isinstance(item, etree._Element):
                self.consumed.discard(item)
            elif isinstance(item, etree._ElementUnicodeResult) and item.is_attribute:
                parent = item.getparent()
                if parent is not None and item.attrname is not None:
                    self.attributes.discard((parent, item.attrname))

    def _xpath(self, node: etree._Element, expression: str) -> object:
        # Compiled once per engine: a batch evaluates the same few hundred paths per document.
        compiled = self.engine._compiled.get(expression)
        if compiled is None:
            compiled = etree.XPath(expression, namespaces=self.engine._namespaces)
            self.engine._compiled[expression] = compiled
        return compiled(node)


def _create(parent: etree._Element, path: str, qname: QName, *, new: bool) -> etree._Element:
    """The element at ``path`` under ``parent``: intermediate steps reused, the last new."""
    steps = [s for s in path.split("/") if s and s != "."]
    node = parent
    for index, step in enumerate(steps):
        tag = qname(step)
        last = index == len(steps) - 1
        existing = None if (last and new) else node.find(tag)
        node = existing if existing is not None else etree.SubElement(node, tag)
    return node


def _write(parent: etree._Element, path: str, value: str, qname: QName) -> None:
    element_path, at, attribute = path.rpartition("@")
    if at:
        holder = _create(parent, element_path.rstrip("/"), qname, new=False)
        holder.set(qname(attribute), value)
    else:
        _create(parent, path, qname, new=True).text = value


def _describe(target: etree._Element, path: str) -> str:
    return f"{target.getroottree().getpath(target)}/{path}"
