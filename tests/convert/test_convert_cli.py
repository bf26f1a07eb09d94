"""`interop convert` as a ministry's batch job runs it: registry, batches, hostile input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from interop.convert import registry
from interop.convert.formats.common import CommonFormat
from interop.errors import UsageError
from tests.conftest import CASES, COMMON_EXAMPLES, EXAMPLES, FIXTURES, run_cli

SPEC = EXAMPLES / "national" / "statusmeldung" / "statusmeldung.toml"
SAMPLE = EXAMPLES / "national" / "statusmeldung" / "statusmeldung-sample.xml"
CSV = CASES / "csv"


class PluginFormat(CommonFormat):
    """Stands for a third-party converter found through the entry point group."""

    name = "plugin"


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(UsageError, match="known formats: common"):
        registry.get("no-such-format")


def test_entry_points_add_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_entry_points", lambda: {"plugin": f"{__name__}:PluginFormat"})
    registry.get.cache_clear()
    try:
        assert "plugin" in registry.names()
        assert registry.get("plugin").name == "plugin"
    finally:
        registry.get.cache_clear()


def test_common_round_trip_of_every_example_is_lossless(tmp_path: Path) -> None:
    for family in ("request", "notification", "evidence"):
        done = run_cli(
            "convert",
            str(EXAMPLES / family),
            "--from",
            "common",
            "--to",
            "common",
            "--out-dir",
            str(tmp_path / family),
            "--strict",
        )
        assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.rglob("*.xml"))) == len(COMMON_EXAMPLES)


def test_batch_goes_on_past_a_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.xml")
    (folder / "broken.xml").write_text("<s:statusmeldung")
    shutil.copy(FIXTURES / "xml-attacks" / "xmlbomb.xml", folder / "bomb.xml")
    report = tmp_path / "report.json"
    done = run_cli(
        "convert",
        str(folder),
        "--from",
        str(SPEC),
        "--to",
        "common",
        "--out-dir",
        str(tmp_path / "out"),
        "--report",
        str(report),
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    summary = json.loads(report.read_text())["summary"]
    assert summary == {"files": 3, "written": 1, "unreadable": 2, "invalid": 0, "lossless": 0}
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.xml"]


def test_wrong_namespace_is_unreadable(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text('<statusmeldung xmlns="urn:somebody:else"/>')
    done = run_cli("convert", str(other), "--from", str(SPEC), "--to", "common")
    assert done.returncode == 2
    assert "expects root s:statusmeldung" in done.stderr


def test_oversized_input_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as out:
        out.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    done = run_cli("convert", str(big), "--from", str(SPEC), "--to", "common")
    assert done.returncode == 2
    assert "50 MB limit" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "common", "--to", "common", "-o", "x.xml", str(SAMPLE), str(SAMPLE)],
            "-o takes one",
        ),
        (["--from", "common", "--to", "common", str(SAMPLE), str(SAMPLE)], "--out-dir"),
        (["--from", "nope", "--to", "common", str(SAMPLE)], "unknown format"),
        (["--from", "common", str(SAMPLE)], "--to"),
        (["--from", "common", "--to", "common", "-o", str(SAMPLE), str(SAMPLE)], "overwrite"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    before = SAMPLE.read_bytes()
    done = run_cli("convert", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert SAMPLE.read_bytes() == before


def test_list_shows_formats() -> None:
    done = run_cli("convert", "--list")
    assert done.returncode == 0, done.stderr
    assert "common" in done.stdout and "DIRECTION" in done.stdout


def test_csv_inventory_through_the_cli(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.xml"
    done = run_cli(
        "convert",
        str(CSV / "evidence-de-semikolon-bom.csv"),
        "--from",
        "csv-evidence",
        "--to",
        "common",
        "--document-language",
        "de",
        "--case-reference",
        "276 Js 1234/26",
        "--authority",
        "Staatsanwaltschaft Berlin;prosecutor;DE",
        "--time-zone",
        "Europe/Berlin",
        "-o",
        str(manifest),
    )
    assert done.returncode == 0, done.stderr
    assert run_cli("validate", str(manifest)).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--authority", "StA Berlin"], "NAME;KIND;CC"),
        (["--time-zone", "Europe/Berlin"], "does not take --time-zone"),
    ],
)
def test_csv_option_errors(args: list[str], message: str) -> None:
    done = run_cli(
        "convert",
        str(CSV / "recipients-en-comma.csv"),
        "--from",
        "csv-recipients",
        "--to",
        "common",
        *args,
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_national_options_reach_the_converter(tmp_path: Path) -> None:
    out = tmp_path / "asservate.xml"
    manifest = EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml"
    schema_dir = FIXTURES / "xjustiz-3.6.2" / "xsd"
    done = run_cli(
        "convert",
        str(manifest),
        "--from",
        "common",
        "--to",
        "xjustiz-0500017",
        "-O",
        "recipient=Prokuratura Okręgowa w Warszawie",
        "-O",
        f"schema-dir={schema_dir}",
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "e:custodyEvent" in done.stderr  # the custody chain has no place in 0500017
    bad = run_cli(
        "convert", str(manifest), "--from", "common", "--to", "xjustiz-0500017", "-O", "colour"
    )
    assert bad.returncode == 2 and "KEY=VALUE" in bad.stderr
    unknown = run_cli(
        "convert", str(manifest), "--from", "common", "--to", "xjustiz-0500017", "-O", "colour=red"
    )
    assert unknown.returncode == 2 and "does not take --colour" in unknown.stderr
