"""``interop evidence custody``: append one hand-over or handling to the chain of custody.

The event is refused, with the rule it would break, when an item would be released by someone
who does not hold it (continuity, EVD-021/022) or when it would be dated before the last event
of the manifest or before an item was seized or acquired (time order, EVD-023/024). Holders
are named by id, by name (when unique), or with full details ``NAME;FUNCTION;ORGANISATION;CC``,
which adds a holder when the person is not listed yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from interop.errors import InteropError, UsageError
from interop.evidence.manifest import (
    NSMAP,
    Holder,
    Place,
    Reference,
    add_holder,
    e,
    free_text,
    holders,
    ids,
    next_id,
    place,
)


class CustodyRefused(InteropError):
    """An event that would break the chain of custody (exit status 1)."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Event:
    """A custody event as given on the command line.

    Attributes:
        from_holder: id, name or ``NAME;FUNCTION;ORGANISATION;CC`` of who releases the items.
        to_holder: the same for who receives them.
        at: when, in UTC (see :func:`interop.evidence.manifest.utc_instant`).
        place: locality and country.
        purpose: code of the CustodyPurposeCode list (transfer, storage, examination...).
        items: ids of the items concerned; empty: every item of the manifest.
        method: transfer method code (courier, police-escort...), or None.
        carrier: courier company or transfer system.
        tracking: waybill, tracking number or message id.
        container_seals: numbers of the sealed bags or boxes.
        tools: (name, version) of tools used for imaging or examination.
        note: what was done, in the manifest's language.
        seals_intact: whether the receiver found the seals intact (None: not stated).
        record: the hand-over receipt or report.
    """

    from_holder: str
    to_holder: str
    at: str
    place: Place
    purpose: str
    items: tuple[str, ...] = ()
    method: str | None = None
    carrier: str | None = None
    tracking: str | None = None
    container_seals: tuple[str, ...] = ()
    tools: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    seals_intact: bool | None = None
    record: Reference | None = None


def append_event(tree: etree._ElementTree, event: Event) -> str:
    """Append ``event`` to the manifest's custody list; return the new event's id.

    Raises:
        UsageError: an unknown item or holder, or an ambiguous holder name.
        CustodyRefused: the event breaks continuity or time order.
    """
    root = tree.getroot()
    taken = ids(tree)
    items = _items(tree, event.items)
    source = resolve_holder(tree, event.from_holder, taken, "--from")
    target = resolve_holder(tree, event.to_holder, taken, "--to")
    events = list(root.iterfind("e:custody/e:custodyEvent", NSMAP))
    for item in items:
        _check_continuity(tree, item, events, source)
        _check_time(item, events, event.at)
    custody = root.find("e:custody", NSMAP)
    created = custody is None
    if custody is None:
        custody = etree.Element(e("custody"))
        root.find("e:items", NSMAP).addnext(custody)  # type: ignore[union-attr]
    event_id = next_id(taken, "E")
    element = etree.SubElement(
        custody, e("custodyEvent"), id=event_id, items=" ".join(i.get("id", "") for i in items)
    )
    _fill(element, event, source, target, root.findtext("{*}documentLanguage") or "en")
    _layout(custody, created)
    return event_id


def _layout(custody: etree._Element, created: bool) -> None:
    """Indent the custody list like the rest of the manifest (when the manifest is indented)."""
    root = custody.getparent()
    if root is None or not (root.text or "").startswith("\n"):
        return
    if created:
        previous = custody.getprevious()
        if previous is not None:
            custody.tail = previous.tail
            previous.tail = root.text
    etree.indent(custody, space="  ", level=1)


def resolve_holder(tree: etree._ElementTree, given: str, taken: set[str], option: str) -> str:
    """The id of the holder ``given`` by id, unique name, or full details (added if new)."""
    listed = holders(tree)
    if any(h.get("id") == given for h in listed):
        return given
    if ";" in given:
        return add_holder(tree, Holder.parse(given, option), taken)
    wanted = " ".join(given.split()).casefold()
    matches = [h for h in listed if " ".join(_name(h).split()).casefold() == wanted]
    if len(matches) == 1:
        return str(matches[0].get("id"))
    if matches:
        found = ", ".join(f"{h.get('id')} ({_organisation(h)})" for h in matches)
        raise UsageError(f"{option} {given!r} names several holders: {found}; give the id")
    known = ", ".join(f"{h.get('id')} ({_name(h)})" for h in listed) or "none"
    raise UsageError(
        f"{option} {given!r}: no such holder (listed: {known}); give an id, a listed name, or"
        " the full details NAME;FUNCTION;ORGANISATION;CC to add a holder"
    )


def current_holder(
    tree: etree._ElementTree, item: etree._Element, events: list[etree._Element]
) -> str | None:
    """Who holds ``item`` now: the receiver of its last event, else who seized or acquired it."""
    item_id = item.get("id", "")
    for event in reversed(events):
        if item_id in (event.get("items") or "").split():
            return event.find("e:to", NSMAP).get("holder")  # type: ignore[union-attr]
    start = item.find("e:seizure/e:seizedBy", NSMAP)
    if start is None:
        start = item.find("e:acquisition/e:acquiredBy", NSMAP)
    return None if start is None else start.get("holder")


def _items(tree: etree._ElementTree, wanted: tuple[str, ...]) -> list[etree._Element]:
    items = list(tree.getroot().iterfind("e:items/e:item", NSMAP))
    if not wanted:
        return items
    by_id = {i.get("id"): i for i in items}
    unknown = [w for w in dict.fromkeys(wanted) if w not in by_id]
    if unknown:
        known = ", ".join(str(k) for k in by_id)
        raise UsageError(f"--items: no item {', '.join(unknown)} in the manifest (items: {known})")
    return [by_id[w] for w in dict.fromkeys(wanted)]


def _check_continuity(
    tree: etree._ElementTree, item: etree._Element, events: list[etree._Element], source: str
) -> None:
    holder = current_holder(tree, item, events)
    if holder is not None and holder != source:
        raise CustodyRefused(
            f"item '{item.get('id')}' is held by {_describe(tree, holder)}, not by"
            f" {_describe(tree, source)}: the event would break the chain of custody (EVD-021)."
            f" Record the hand-over from {holder} first, or correct --from"
        )


def _check_time(item: etree._Element, events: list[etree._Element], at: str) -> None:
    when = _instant(at)
    if events:
        last = events[-1]
        last_at = last.findtext("e:at", "", NSMAP) or ""
        if when < _instant(last_at):
            raise CustodyRefused(
                f"the event is dated {at}, before the last event '{last.get('id')}' ({last_at}):"
                " custody events are listed in time order (EVD-023); check --at (UTC)"
            )
    start = item.findtext("e:seizure/e:at", None, NSMAP) or item.findtext(
        "e:acquisition/e:acquiredAt", None, NSMAP
    )
    if start and when < _instant(start):
        raise CustodyRefused(
            f"the event is dated {at}, before item '{item.get('id')}' was seized or acquired"
            f" ({start}) (EVD-024); check --at (UTC)"
        )


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"the manifest has a malformed time {text!r}") from None


def _fill(element: etree._Element, event: Event, source: str, target: str, language: str) -> None:
    etree.SubElement(element, e("from"), holder=source)
    etree.SubElement(element, e("to"), holder=target)
    etree.SubElement(element, e("at")).text = event.at
    place(element, e("place"), event.place)
    etree.SubElement(element, e("purpose")).text = event.purpose
    if event.note:
        free_text(element, e("note"), event.note, language)
    if event.method or event.carrier or event.tracking or event.container_seals:
        if not event.method:
            raise UsageError("--carrier, --tracking and --container-seal need --means METHOD")
        means = etree.SubElement(element, e("means"))
        etree.SubElement(means, e("method")).text = event.method
        for tag, value in (("carrier", event.carrier), ("trackingReference", event.tracking)):
            if value:
                etree.SubElement(means, e(tag)).text = value
        for seal in event.container_seals:
            etree.SubElement(means, e("containerSeal")).text = seal
    for name, version in event.tools:
        tool = etree.SubElement(element, e("tool"))
        etree.SubElement(tool, e("name")).text = name
        if version:
            etree.SubElement(tool, e("version")).text = version
    if event.seals_intact is not None:
        etree.SubElement(element, e("sealsIntact")).text = "true" if event.seals_intact else "false"
    if event.record is not None:
        record = etree.SubElement(element, e("record"))
        for tag, value in (
            ("number", event.record.number),
            ("issuer", event.record.issuer),
            ("country", event.record.country),
            ("date", event.record.date),
        ):
            if value:
                etree.SubElement(record, f"{{{NSMAP['c']}}}{tag}").text = value


def _describe(tree: etree._ElementTree, holder_id: str) -> str:
    for holder in holders(tree):
        if holder.get("id") == holder_id:
            return f"'{holder_id}' ({_name(holder)})"
    return f"'{holder_id}'"


def _name(holder: etree._Element) -> str:
    return (holder.findtext("e:name", "", NSMAP) or "").strip()


def _organisation(holder: etree._Element) -> str:
    return (holder.findtext("e:organisation", "", NSMAP) or "").strip()
