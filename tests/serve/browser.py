"""What the browser tests of the clerk's page need: a real ``interop serve``, a headless
Chromium (the Debian one: nothing is downloaded at test time) and a summons the installed
Apertium pairs can translate (Spanish free text, a French-speaking witness)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from lxml import etree

from interop import xmlio
from tests.conftest import ROOT
from tests.serve.conftest import SUMMONS

CHROMIUM: Final = Path("/usr/bin/chromium")
# The machine's network is closed: nothing of Chromium's own may try to reach out.
CHROMIUM_ARGS: Final = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
N: Final = "urn:interop:notification:1"
C: Final = "urn:interop:common:1"
# The summons' free text in Spanish, by the path of its field (short sentences: Apertium's
# es->fr pair translates them in well under a second).
SPANISH: Final = {
    "n:offence/c:legalClassification": (
        "Trata de seres humanos con fines de explotación laboral (derecho alemán)."
    ),
    "n:subject": (
        "Declaración como testigo ante el tribunal regional de Hamburgo en la causa penal "
        "contra Dariusz K. y otros. La declaración trata de las condiciones de trabajo y de "
        "alojamiento."
    ),
    "n:appearance/n:place/n:directions": (
        "La entrada principal está en la calle Młyńska. Preséntese en la oficina de atención "
        "al público veinte minutos antes de la hora."
    ),
    "n:appearance/n:videoconferenceDetails/n:instructions": (
        "El tribunal alemán dirige la audiencia. Un juez de este tribunal comprobará su identidad."
    ),
    "n:toBring": "Traiga su documento de identidad y esta citación.",
    "n:consequencesOfNonAppearance": (
        "La comparecencia es obligatoria. Si no comparece sin justificación, el tribunal puede "
        "imponer una multa."
    ),
    "n:rightToInterpreter/n:statement": (
        "Un intérprete traducirá las preguntas y sus respuestas. La interpretación es gratuita."
    ),
    "n:rightToLawyer/n:statement": (
        "Puede designar a un abogado que puede estar presente durante la audiencia."
    ),
    "n:costs/n:how": (
        "Tiene derecho al reembolso de los gastos de viaje. La solicitud debe presentarse en "
        "un plazo de tres días."
    ),
}
# Where the summons names a language: Spanish original, a witness who understands French.
LANGUAGES: Final = {
    "c:documentLanguage": "es",
    "n:deliveryLanguage": "fr",
    "n:summonedPerson/c:naturalPerson/c:languageUnderstood": "fr",
    "n:rightToInterpreter/n:interpreterLanguage": "fr",
}


def spanish_summons(folder: Path) -> Path:
    """The bundled videoconference summons with its free text in Spanish (the only version of
    each field) and French as the witness's language, written to ``folder``."""
    tree = xmlio.parse_file(SUMMONS)
    root = tree.getroot()
    spaces = {"n": N, "c": C}
    for path, text in SPANISH.items():
        (field,) = root.xpath(path, namespaces=spaces)
        for version in field.findall(f"{{{C}}}text"):
            field.remove(version)
        etree.SubElement(field, f"{{{C}}}text", lang="es", origin="original").text = text
    for path, code in LANGUAGES.items():
        (element,) = root.xpath(path, namespaces=spaces)
        element.text = code
    written = folder / "citacion-testigo.xml"
    tree.write(str(written), xml_declaration=True, encoding="UTF-8")
    return written


def summons_with_findings(folder: Path) -> Path:
    """That summons with two schema errors in two sections (capacity, appearance), which also
    draw a warning of the rules on the document as a whole."""
    tree = xmlio.parse_file(spanish_summons(folder))
    spaces = {"n": N, "c": C}
    (capacity,) = tree.xpath("/n:summons/n:capacity", namespaces=spaces)
    capacity.text = "bystander"
    (duration,) = tree.xpath("/n:summons/n:appearance/n:expectedDuration", namespaces=spaces)
    duration.text = "three hours"
    written = folder / "citacion-con-errores.xml"
    tree.write(str(written), xml_declaration=True, encoding="UTF-8")
    return written


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(folder: Path) -> Iterator[str]:
    """A real ``interop serve`` on a free loopback port, with its own audit log and translation
    memory in ``folder``; yields its base URL once /v1/health answers."""
    port = free_port()
    log = folder / "server.log"
    command = [sys.executable, "-m", "interop", "serve", "--port", str(port), "--jobs", "1",
               "--audit-log", str(folder / "audit.jsonl"),
               "--memory", str(folder / "memory.sqlite")]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"interop serve stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/v1/health", timeout=5):
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise AssertionError("interop serve did not answer /v1/health within 60 s")


def artefacts() -> Path:
    """Where the screenshots go: $INTEROP_ARTEFACTS, else tests/artefacts/."""
    folder = Path(os.environ.get("INTEROP_ARTEFACTS") or ROOT / "tests" / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
