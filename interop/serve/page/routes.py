"""The page's HTTP side: the start page, opening a document, and the one form of its page.

``POST /page/act`` takes the whole form of the document page; its ``action`` field says which
button was pressed. Actions that change the document (translate, review) answer the page with
the changed document in its hidden field; downloads answer the file. Every document produced or
changed is written to the audit log, as the API's actions are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Scope

from interop.errors import InteropError
from interop.render.html import RenderOptions
from interop.render.job import Format, RenderJob
from interop.render.labels import N_
from interop.render.localize import Localizer
from interop.serve import tasks, tasks_translate
from interop.serve.auth import LOCAL
from interop.serve.limits import FIELD, plain_name, read_form
from interop.serve.page import examples, findings, login, state, work
from interop.serve.page.templates import render_page, stylesheet
from interop.serve.page.text import UI_FIELD, choose, page_text
from interop.serve.problems import Problem, status_of
from interop.serve.routes.content import stem
from interop.serve.service import record, service, who
from interop.xmlio import Limits

ACTIONS: Final = ("preview", "translate", "review", "download-html", "download-pdf", "download-xml")
# Two text fields per sentence under review, and a few more: a long request has hundreds.
MAX_FIELDS: Final = 5000
_MEDIA: Final = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


class PageError(Problem):
    """A problem the page words itself: a catalog message and its variables."""

    def __init__(self, status: int, message: str, **variables: str) -> None:
        super().__init__(status, message % variables if variables else message)
        self.message = message
        self.variables = variables


# The service's errors a clerk can meet on the page, said in the page's language; the English
# one-line detail stays in the API's answers and the server's log.
_SAID: Final = {
    403: N_("This form can only be sent from the page itself."),
    404: N_("There is no such page."),
    405: N_("There is no such page."),
    408: N_("The upload stalled: nothing arrived for a while. Send it again."),
    413: N_("The file is larger than this service accepts."),
    500: N_("Something went wrong on the server (error %(id)s); the details are in its log."),
}


def said(exc: Problem, text: Localizer) -> str:
    """What the page says about ``exc``: in the page language where the page worded it (the
    service's own one-line messages, shared with the CLI and the API, stay as they are)."""
    if isinstance(exc, PageError):
        return str(text.gettext(exc.message, **exc.variables))
    message = exc.extra.get("page_message")
    if isinstance(message, str):
        return str(text.gettext(message, **exc.extra.get("variables", {})))
    return _worded(exc.status, exc.detail, text)


def _worded(status: int, detail: str, text: Localizer, error_id: str = "") -> str:
    message = _SAID.get(status)
    return str(text.gettext(message, id=error_id)) if message else detail


@dataclass(frozen=True, slots=True)
class Choice:
    """What the clerk chose on the page: the notice, its languages, the translation."""

    notice: str = ""
    lang: str = ""
    also: str = ""
    to: str = ""
    engine: str = ""
    reviewer: str = ""

    @classmethod
    def from_form(cls, fields: dict[str, str]) -> Choice:
        return cls(*(fields.get(name, "").strip() for name in cls.__dataclass_fields__))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x for x in (self.lang, self.also, self.to) if x))


@dataclass(slots=True)
class Outcome:
    """What the last action did, for the page's status line."""

    message: str = ""
    error: bool = False
    status: int = 200
    preview: str | None = None
    pending: dict[str, str] = field(default_factory=dict)  # unsaved edits ("lang:unit" -> text)
    warn_unsaved: bool = False  # say so when edits were left unsaved


def error_answer(scope: Scope, status: int, detail: str, **extra: Any) -> ASGIApp:
    """The start page with the one-line message, as the answer to an error on one of the
    page's paths (a clerk's browser would show a problem document as raw JSON)."""
    request = Request(scope)
    ui = choose(request.query_params.get(UI_FIELD), request.headers.get("accept-language"))
    message = _worded(status, detail, page_text(ui), str(extra.get("id", "")))
    return _start_page(request, ui, message, status)


async def on_error(request: Request, exc: Exception) -> Response:
    """The page's answer to an error raised while handling one of its requests."""
    ui = choose(request.query_params.get(UI_FIELD), request.headers.get("accept-language"))
    if isinstance(exc, Problem):
        return _start_page(request, ui, said(exc, page_text(ui)), exc.status)
    if isinstance(exc, InteropError):
        return _start_page(request, ui, str(exc), status_of(exc))
    assert isinstance(exc, HTTPException)
    message = _worded(exc.status_code, str(exc.detail), page_text(ui))
    return _start_page(request, ui, message, exc.status_code)


async def start(request: Request) -> Response:
    """The start page: open a document (upload or a bundled example)."""
    ui = choose(request.query_params.get(UI_FIELD), request.headers.get("accept-language"))
    return _start_page(request, ui)


def _start_page(request: Request, ui: str, message: str = "", status: int = 200) -> Response:
    html = render_page(
        "start.html.j2",
        ui,
        examples=examples.listing(),
        message=message,
        error=status >= 400,
        signed_in=who(request) != LOCAL and login.enabled(request),
    )
    return HTMLResponse(html, status_code=status, headers=login.PAGE_HEADERS)


async def open_document(request: Request) -> Response:
    """Open an uploaded document or a bundled example, and show its page."""
    found = service(request)
    login.check_origin(request)
    fields, files = await read_form(request, found.settings.max_upload, 1, max_fields=MAX_FIELDS)
    ui = choose(fields.get(UI_FIELD), request.headers.get("accept-language"))
    uploads = [part for part in files if part.field == FIELD and part.data]
    try:
        if uploads:
            data, name = uploads[0].data, plain_name(uploads[0].filename)
        elif fields.get("example"):
            data, name = examples.read(fields["example"])
        else:
            raise PageError(400, N_("Choose a file or an example first."))
        return await _document_page(request, data, name, ui, Choice(), outcome=Outcome())
    except InteropError as exc:
        return _start_page(request, ui, str(exc), 400)
    except Problem as exc:
        return _start_page(request, ui, said(exc, page_text(ui)), exc.status)


async def act(request: Request) -> Response:
    """The document page's form: one of :data:`ACTIONS`."""
    found = service(request)
    login.check_origin(request)
    # The document travels in base64 (4/3 of its size) next to the form's own fields.
    limit = found.settings.max_upload * 2
    fields, _ = await read_form(request, limit, 0, max_fields=MAX_FIELDS, max_part_size=limit)
    ui = choose(fields.get(UI_FIELD), request.headers.get("accept-language"))
    data = state.decode(fields.get("state"))
    name = fields.get("name") or "document.xml"
    choice = Choice.from_form(fields)
    action = fields.get("action", "preview")
    if action not in ACTIONS:
        raise Problem(400, f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    outcome = Outcome()
    try:
        if action.startswith("download-"):
            return await _download(request, data, name, choice, action.removeprefix("download-"))
        if action == "preview":
            outcome.preview = (await _render(request, data, name, choice, Format.HTML)).decode()
        elif action == "translate":
            data, report = await _translate(request, data, name, choice)
            outcome.message = _translated(report, choice.to, page_text(ui))
        else:
            data, outcome = await _review(request, data, name, choice, fields, text=page_text(ui))
    except Problem as exc:
        message = said(exc, page_text(ui))
        outcome = Outcome(message, error=True, status=exc.status, pending=_edits(fields))
    return await _document_page(request, data, name, ui, choice, outcome=outcome)


async def _document_page(
    request: Request, data: bytes, name: str, ui: str, choice: Choice, *, outcome: Outcome
) -> Response:
    found = service(request)
    view = await found.engine.call(work.view, data, name, choice.languages)
    current = {f"{p.language}:{s.unit_id}": s.target for p in view.passages for s in p.sentences}
    # Only text the clerk changed is shown again (and warned about) instead of the document's.
    outcome.pending = {
        key: text for key, text in outcome.pending.items() if text.strip() != current.get(key)
    }
    if outcome.warn_unsaved and outcome.pending:
        outcome.message += " " + page_text(ui).gettext(
            "Changes in passages not ticked Reviewed were not saved; they are still in their boxes."
        )
    chosen = replace(
        choice,
        notice=choice.notice if choice.notice in view.notices else (view.notices or ("",))[0],
        lang=choice.lang or view.recipient_language,
        reviewer=choice.reviewer or ("" if who(request) == LOCAL else who(request)),
    )
    html = render_page(
        "document.html.j2",
        ui,
        view=view,
        sections=findings.sections(view.report, page_text(ui)),
        choice=chosen,
        outcome=outcome,
        document=state.encode(data),
        name=name,
    )
    return HTMLResponse(html, status_code=outcome.status, headers=login.PAGE_HEADERS)


async def _render(request: Request, data: bytes, name: str, choice: Choice, fmt: Format) -> bytes:
    found = service(request)
    languages = tuple(x for x in (choice.lang, choice.also) if x)
    job = RenderJob(
        options=RenderOptions(choice.notice or None, languages, None),
        format=fmt,
        pdf_variant=None,
        validate=True,
        limits=Limits(max_bytes=found.settings.max_upload),
    )
    output = await found.engine.call(tasks.render, data, name, job)
    options = {"notice": choice.notice, "languages": list(languages), "format": fmt.value}
    files = {name: data, f"{stem(name)}.notice.{fmt.value}": output}
    await record(request, "render", source=data, output=output, options=options, files=files)
    return output


async def _download(
    request: Request, data: bytes, name: str, choice: Choice, kind: str
) -> Response:
    if kind == "xml":
        output, media = data, "application/xml"
        filename = f"{stem(name)}.xml"
    else:
        output = await _render(request, data, name, choice, Format(kind))
        media = _MEDIA[kind]
        languages = "-".join(x for x in (choice.lang, choice.also) if x)
        filename = f"{stem(name)}.{choice.notice or 'notice'}.{languages}.{kind}"
    disposition = f'attachment; filename="{filename}"'
    return Response(output, media_type=media, headers={"Content-Disposition": disposition})


async def _translate(
    request: Request, data: bytes, name: str, choice: Choice
) -> tuple[bytes, dict[str, Any]]:
    found = service(request)
    if not choice.to:
        raise PageError(400, N_("Choose the language to translate into."))
    job = tasks_translate.TranslateRequest(
        choice.to, choice.engine or None, force=False, memory=found.settings.memory
    )
    done = await found.engine.call(tasks_translate.translate, data, name, job)
    options = {"to": job.target, "engine": job.engine, "force": False}
    files = {name: data, f"{stem(name)}.{job.target}.xml": done.data}
    await record(request, "translate", source=data, output=done.data, options=options, files=files)
    return done.data, done.report


def _translated(report: dict[str, Any], language: str, text: Localizer) -> str:
    """The status line after a translation: how many passages, and what needs a look."""
    counts = Counter(f["outcome"] for f in report["fields"])
    name = text.language_name(language)
    done = counts["translated"] + counts["from-memory"]
    parts = [
        text.ngettext(
            "%(num)s passage translated into %(language)s by machine; review it below.",
            "%(num)s passages translated into %(language)s by machine; review them below.",
            done,
            language=name,
        )
    ]
    if counts["kept"]:
        parts.append(
            text.ngettext(
                "%(num)s passage already had a translation, which was kept.",
                "%(num)s passages already had a translation, which was kept.",
                counts["kept"],
            )
        )
    if counts["flagged"]:
        parts.append(
            text.ngettext(
                "%(num)s passage was left untranslated: a name or number would not have come "
                "back intact.",
                "%(num)s passages were left untranslated: a name or number would not have "
                "come back intact.",
                counts["flagged"],
            )
        )
    return " ".join(str(part) for part in parts)


async def _review(
    request: Request,
    data: bytes,
    name: str,
    choice: Choice,
    fields: dict[str, str],
    *,
    text: Localizer,
) -> tuple[bytes, Outcome]:
    found = service(request)
    if not choice.reviewer:
        raise PageError(400, N_("Write your name as the reviewer before saving a review."))
    edits = _edits(fields)
    ticked: dict[str, set[str]] = {}
    for key in fields:
        if key.startswith("r:"):
            language, _, path = key[2:].partition(":")
            ticked.setdefault(language, set()).add(path)
    if not ticked:
        raise PageError(400, N_("Tick Reviewed for each passage you have checked, then save."))
    saved = 0
    source = data
    for language, paths in ticked.items():
        job = work.ReviewRequest(
            language,
            {
                key.partition(":")[2]: text
                for key, text in edits.items()
                if key.partition(":")[0] == language
            },
            frozenset(paths),
            choice.reviewer,
            found.settings.memory,
        )
        done = await found.engine.call(work.review, data, name, job)
        data = done.data
        saved += sum(1 for f in done.report["fields"] if f["outcome"] in ("human", "reviewed"))
    options = {"reviewer": choice.reviewer, "languages": sorted(ticked)}
    files = {name: source, f"{stem(name)}.reviewed.xml": data}
    await record(request, "review", source=source, output=data, options=options, files=files)
    pending = {
        key: text
        for key, text in edits.items()
        if not any(
            _in_field(key, language, path) for language, paths in ticked.items() for path in paths
        )
    }
    message = text.ngettext(
        "%(num)s passage saved as reviewed by %(name)s.",
        "%(num)s passages saved as reviewed by %(name)s.",
        saved,
        name=choice.reviewer,
    )
    return data, Outcome(str(message), pending=pending, warn_unsaved=True)


def _edits(fields: dict[str, str]) -> dict[str, str]:
    """The text boxes of the form (named ``t:LANG:UNIT``): ``LANG:UNIT`` -> text."""
    return {
        key[2:]: value.replace("\r\n", "\n")
        for key, value in fields.items()
        if key.startswith("t:")
    }


def _in_field(key: str, language: str, path: str) -> bool:
    """Whether the text box ``LANG:UNIT`` belongs to field ``path`` in ``language``."""
    return key.startswith(f"{language}:{path}#")


async def css(request: Request) -> Response:
    return Response(stylesheet(), media_type="text/css; charset=utf-8")


def routes() -> list[BaseRoute]:
    """The page's routes (kept out of the API description)."""
    return [
        Route("/", start, methods=["GET"], include_in_schema=False),
        Route("/page/page.css", css, methods=["GET"], include_in_schema=False),
        Route("/page/open", open_document, methods=["POST"], include_in_schema=False),
        Route("/page/act", act, methods=["POST"], include_in_schema=False),
        *login.routes(),
    ]
