"""The notice kinds: which template renders which document type.

A notice kind names a template in ``templates/notices/`` and the root elements it can render.
Without ``--notice`` a document gets the first kind that lists its root.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from lxml import etree

from interop.errors import UsageError
from interop.render.labels import N_


@dataclass(frozen=True, slots=True)
class NoticeKind:
    """One kind of notice.

    Attributes:
        name: what ``--notice`` takes.
        roots: local names of the root elements it renders.
        title: English title (a catalog message id).
        template: file in the template folder.
    """

    name: str
    roots: tuple[str, ...]
    title: str

    @property
    def template(self) -> str:
        return f"notices/{self.name}.html.j2"


NOTICES: Final = (
    NoticeKind("summons", ("summons",), N_("Summons to appear")),
    NoticeKind("service-of-documents", ("serviceOfDocuments",), N_("Service of documents")),
    NoticeKind("acknowledgment", ("acknowledgment",), N_("Acknowledgment of receipt")),
    NoticeKind("decision", ("decision",), N_("Notice of decision")),
    NoticeKind("letter-of-rights", ("letterOfRights",), N_("Letter of rights")),
    NoticeKind("status-update", ("statusUpdate",), N_("Status of a request")),
    NoticeKind("evidence-request", ("evidenceRequest",), N_("Request for evidence")),
    NoticeKind("surrender-request", ("surrenderRequest",), N_("Request for surrender")),
    NoticeKind("evidence-manifest", ("evidenceManifest",), N_("Evidence manifest")),
)
BY_NAME: Final = {kind.name: kind for kind in NOTICES}


def notice_for(root: etree._Element, name: str | None) -> NoticeKind:
    """The notice kind ``name``, or the one for this document's root element.

    Raises:
        UsageError: unknown kind, or a kind that cannot render this document.
    """
    root_name = etree.QName(root).localname
    if name is None:
        for kind in NOTICES:
            if root_name in kind.roots:
                return kind
        raise UsageError(f"no notice renders a {root_name} document; --notice takes: {names()}")
    found = BY_NAME.get(name)
    if found is None:
        raise UsageError(f"unknown notice {name!r}; known notices: {names()}")
    if root_name not in found.roots:
        raise UsageError(
            f"notice {name!r} renders {', '.join(found.roots)} documents, not {root_name}"
        )
    return found


def names() -> str:
    return ", ".join(kind.name for kind in NOTICES)
