"""``evidence custody``: events appended only when they keep the chain continuous and ordered."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from interop.errors import UsageError
from interop.evidence.build import build
from interop.evidence.custody import CustodyRefused, Event, append_event, current_holder
from interop.evidence.manifest import NSMAP, Place, utc_instant
from interop.validate.findings import Severity
from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import parse_file
from tests.conftest import EXAMPLES
from tests.evidence.evidence_trees import make_tree, options

USB = EXAMPLES / "evidence" / "evidence-documents-usb-es-fr.xml"  # D1-D3, last held by H4
NEW_HOLDER = "Camille Durand;juge d'instruction;Tribunal judiciaire de Paris;FR"


def event(source: str, target: str, at: str, **more: object) -> Event:
    return Event(
        from_holder=source,
        to_holder=target,
        at=utc_instant(at),
        place=Place.parse("Paris;FR"),
        purpose=str(more.pop("purpose", "transfer")),
        **more,  # type: ignore[arg-type]
    )


def errors(tree: etree._ElementTree) -> list[str]:
    report = Validator(ValidationSettings()).check_tree(tree, "manifest.xml")
    return [f.rule for f in report.findings if f.severity is Severity.ERROR]


@pytest.fixture
def usb() -> etree._ElementTree:
    return parse_file(USB)


def test_a_continuous_event_is_appended_and_the_manifest_stays_valid(
    usb: etree._ElementTree,
) -> None:
    event_id = append_event(usb, event("H4", NEW_HOLDER, "2026-03-20T09:00:00+01:00"))
    assert event_id == "E4"
    added = usb.getroot().findall("e:custody/e:custodyEvent", NSMAP)[-1]
    assert added.get("items") == "D1 D2 D3"
    assert added.findtext("e:at", namespaces=NSMAP) == "2026-03-20T08:00:00Z"
    new_holder = added.find("e:to", NSMAP).get("holder")  # type: ignore[union-attr]
    assert new_holder == "H5"
    assert errors(usb) == []
    items = usb.getroot().findall("e:items/e:item", NSMAP)
    events = usb.getroot().findall("e:custody/e:custodyEvent", NSMAP)
    assert {current_holder(usb, i, events) for i in items} == {"H5"}


def test_holders_by_id_name_or_details(usb: etree._ElementTree) -> None:
    append_event(usb, event("Nathalie Girard", "H1", "2026-03-20T09:00:00Z", items=("D1",)))
    # The same person given with full details is found, not added twice.
    details = "Nathalie Girard;greffière principale;Tribunal judiciaire de Paris;FR"
    append_event(usb, event(details, "H2", "2026-03-21T09:00:00Z", items=("D2",)))
    events = usb.getroot().findall("e:custody/e:custodyEvent", NSMAP)
    assert [e.find("e:from", NSMAP).get("holder") for e in events[-2:]] == ["H4", "H4"]  # type: ignore[union-attr]
    assert len(usb.getroot().findall("e:holders/e:holder", NSMAP)) == 4
    assert errors(usb) == []


def test_unknown_holder_and_item_are_usage_errors(usb: etree._ElementTree) -> None:
    with pytest.raises(UsageError, match="no such holder"):
        append_event(usb, event("H4", "Nobody", "2026-03-20T09:00:00Z"))
    with pytest.raises(UsageError, match="no item D9"):
        append_event(usb, event("H4", "H1", "2026-03-20T09:00:00Z", items=("D9",)))


def test_ambiguous_names_ask_for_the_id(usb: etree._ElementTree) -> None:
    holder = usb.getroot().find("e:holders/e:holder[@id='H3']/e:name", NSMAP)
    assert holder is not None
    holder.text = "Nathalie Girard"
    with pytest.raises(UsageError, match="several holders"):
        append_event(usb, event("Nathalie Girard", "H1", "2026-03-20T09:00:00Z"))


def test_an_event_from_someone_who_does_not_hold_the_items_is_refused(
    usb: etree._ElementTree,
) -> None:
    before = etree.tostring(usb)
    with pytest.raises(CustodyRefused) as caught:
        append_event(usb, event("H2", "H1", "2026-03-20T09:00:00Z"))
    message = str(caught.value)
    assert "EVD-021" in message and "held by 'H4' (Nathalie Girard)" in message
    assert caught.value.exit_code == 1
    assert etree.tostring(usb) == before  # nothing changed


def test_an_event_before_the_last_one_is_refused(usb: etree._ElementTree) -> None:
    with pytest.raises(CustodyRefused, match="EVD-023"):
        append_event(usb, event("H4", "H1", "2026-03-16T15:44:59Z"))


def test_an_event_before_the_seizure_is_refused(tmp_path: Path) -> None:
    make_tree(tmp_path)
    tree = build(tmp_path, options()).tree  # seized 2026-03-05T08:10:00Z, no event yet
    with pytest.raises(CustodyRefused, match="EVD-024"):
        append_event(tree, event("Katrin Vogel", NEW_HOLDER, "2026-03-05T09:09:00+01:00"))
    append_event(tree, event("Katrin Vogel", NEW_HOLDER, "2026-03-05T09:10:00+01:00"))
    custody = tree.getroot().find("e:custody", NSMAP)
    assert custody is not None and custody.getprevious().tag.endswith("items")  # type: ignore[union-attr]
    assert errors(tree) == []


def test_a_later_event_must_start_where_the_chain_ended(tmp_path: Path) -> None:
    make_tree(tmp_path)
    tree = build(tmp_path, options()).tree
    append_event(tree, event("H1", NEW_HOLDER, "2026-03-06T10:00:00Z", items=("F1",)))
    # F1 is now with the judge; F2 is still with the officer.
    with pytest.raises(CustodyRefused, match="item 'F2' is held by 'H1'"):
        append_event(tree, event("H2", "H1", "2026-03-07T10:00:00Z", items=("F1", "F2")))
    append_event(tree, event("H1", "H2", "2026-03-07T10:00:00Z", items=("F2",)))
    assert errors(tree) == []


def test_rules_on_the_new_event_still_apply(usb: etree._ElementTree) -> None:
    append_event(usb, event("H4", "H4", "2026-03-20T09:00:00Z", purpose="examination"))
    assert "EVD-025" in errors(usb)  # an examination names its tools


def test_means_without_method_is_a_usage_error(usb: etree._ElementTree) -> None:
    with pytest.raises(UsageError, match="--means"):
        append_event(usb, event("H4", "H1", "2026-03-20T09:00:00Z", tracking="DHL 1"))
