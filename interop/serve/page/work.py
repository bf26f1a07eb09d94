"""What the page asks of the engine's workers: plain data in, plain data out.

The page's views need the validation report, the notices a document can have, its recipient's
language and its translated passages; a review writes the clerk's edits into the document and
checks it again. Both run in worker processes, like every other task of the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from interop import xmlio
from interop.errors import InteropError
from interop.render.html import default_language
from interop.render.notices import NOTICES
from interop.serve.page.passages import Passage, TokenMissing, apply_review, passages
from interop.serve.problems import status_of
from interop.serve.tasks import Failure, limits, validate, validator
from interop.serve.tasks_translate import Changed, memory
from interop.translate.batch import check
from interop.translate.fields import fields
from interop.validate.reports.json_report import to_json


@dataclass(frozen=True, slots=True)
class DocumentView:
    """What the page shows of a document.

    Attributes:
        report: the JSON validation report (``interop validate --format json``).
        root: the root element's local name.
        identifier: the document's id, if it has one.
        notices: the notice kinds that render it.
        recipient_language: the language its notice is in by default.
        original_languages: the languages its free text was written in.
        passages: its translations into the page's chosen languages.
    """

    report: dict[str, Any]
    root: str
    identifier: str | None
    notices: tuple[str, ...]
    recipient_language: str
    original_languages: tuple[str, ...]
    passages: tuple[Passage, ...] = field(default=())


def view(data: bytes, name: str, languages: tuple[str, ...]) -> DocumentView | Failure:
    """Validate a document and gather what the page shows of it (one parse for both)."""
    try:
        tree = xmlio.parse_bytes(data, name, limits=limits())
    except InteropError as exc:
        # The API's answer to an unreadable document, with its report of the one finding.
        answer = validate(data, name, None)
        return answer if isinstance(answer, Failure) else Failure(status_of(exc), str(exc))
    report = to_json([validator().check_tree(tree, name)])
    root = tree.getroot()
    local = etree.QName(root).localname
    recipient = default_language(root)
    originals = {o.get("lang", "") for f in fields(tree) if (o := f.original()) is not None}
    wanted = tuple(dict.fromkeys(x for x in (*languages, recipient) if x))
    return DocumentView(
        report,
        local,
        root.findtext("{urn:interop:common:1}documentId"),
        tuple(kind.name for kind in NOTICES if local in kind.roots),
        recipient,
        tuple(sorted(originals)),
        tuple(passages(tree, wanted)),
    )


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """The clerk's review of one language: edited sentences, the passages ticked reviewed."""

    language: str
    edits: dict[str, str]  # unit id -> text
    reviewed: frozenset[str]  # field paths
    reviewer: str
    memory: str | None


def review(data: bytes, name: str, request: ReviewRequest) -> Changed | Failure:
    """Write a review into the document; the result is validated before it is returned."""
    try:
        tree = xmlio.parse_bytes(data, name, limits=limits())
        report = apply_review(
            tree,
            request.language,
            request.edits,
            set(request.reviewed),
            reviewer=request.reviewer,
            memory=memory(request.memory),
        )
        check(tree, name, validator())
    except TokenMissing as exc:
        return Failure(422, str(exc), exc.page_message())
    except InteropError as exc:
        return Failure(status_of(exc), str(exc))
    outcomes = [{"path": f.path, "outcome": f.outcome, "detail": f.detail} for f in report.fields]
    return Changed(
        {"summary": report.summary(), "stored": report.stored, "fields": outcomes},
        xmlio.serialize(tree),
    )
