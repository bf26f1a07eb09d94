"""Value transforms of mapping specs: each has an exact inverse, or says why it cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.convert.mapping.transforms import TransformError, compile_transform
from interop.errors import SchemaError

TABLES = {"roles": {"BES": "suspect", "ZEU": "witness", "BSCH": "suspect"}}


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_dates_round_trip(day: dt.date) -> None:
    transform = compile_transform("date:%d.%m.%Y", TABLES, "t")
    national = day.strftime("%d.%m.%Y")
    assert transform.from_common(transform.to_common(national)) == national
    assert transform.to_common(national) == day.isoformat()


@pytest.mark.parametrize("value", ["2026-07-14", "31.02.2026", "", "14.07.26"])
def test_bad_dates_are_rejected_with_the_expected_form(value: str) -> None:
    transform = compile_transform("date:%d.%m.%Y", TABLES, "t")
    with pytest.raises(TransformError, match=r"%d\.%m\.%Y"):
        transform.to_common(value)


def test_tables_invert_and_the_first_code_wins_on_the_way_back() -> None:
    transform = compile_transform("table:roles", TABLES, "t")
    assert transform.to_common("BSCH") == "suspect"
    assert transform.from_common("suspect") == "BES"
    with pytest.raises(TransformError, match="not in table roles"):
        transform.to_common("XYZ")


@pytest.mark.parametrize(
    ("name", "message"),
    [("table:nope", "no table"), ("date", "needs a format"), ("rot13", "unknown transform")],
)
def test_bad_transform_names(name: str, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        compile_transform(name, TABLES, "spec.toml: map[1]")


def test_case_transforms() -> None:
    upper = compile_transform("upper", TABLES, "t")
    assert upper.to_common("de") == "DE"
    assert upper.from_common("DE") == "DE"
