"""What the XJustiz converter tests share: the official schema set and the independent check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from interop.validate.validator import ValidationSettings, Validator
from tests.conftest import FIXTURES

XJUSTIZ = FIXTURES / "xjustiz-3.6.2"
XSD_DIR = XJUSTIZ / "xsd"
STRAF = XSD_DIR / "xjustiz_0500_straf_3_6.xsd"
NACHRICHTEN = XSD_DIR / "xjustiz_0005_nachrichten_3_2.xsd"
GDS_RULES = XJUSTIZ / "schematron" / "xjustiz.gds_1_3.sch"
STRAF_RULES = XJUSTIZ / "schematron" / "xjustiz.straf_1_2.sch"


def official_validator(
    schema: Path = STRAF, rules: tuple[Path, ...] = (GDS_RULES, STRAF_RULES)
) -> Validator:
    """Our validator in generic mode: an official XSD (straf by default) and official rules."""
    return Validator(ValidationSettings(schema=schema, rules=rules))


def assert_official_xjustiz(
    data: bytes, folder: Path, validator: Validator, schema: Path = STRAF
) -> None:
    """``data`` passes xmllint against ``schema`` (an engine independent of ours) and the
    official rules of ``validator``."""
    out = folder / "message.xml"
    out.write_bytes(data)
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint is needed as the independent XSD check"
    run = subprocess.run(
        [xmllint, "--noout", "--schema", str(schema), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert validator.check_bytes(data, out.name).findings == ()
