"""What the browser tests of the clerk's page need: a real ``interop serve``, a headless
Chromium (the Debian one: nothing is downloaded at test time) and a summons the installed
Apertium pairs can translate (Spanish free text, a French-speaking witness)."""

from __future__ import annotations

import os
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


def artefacts() -> Path:
    """Where the screenshots go: $INTEROP_ARTEFACTS, else tests/artefacts/."""
    folder = Path(os.environ.get("INTEROP_ARTEFACTS") or ROOT / "tests" / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
