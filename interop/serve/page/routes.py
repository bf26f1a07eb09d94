"""The page's HTTP side: the start page, opening a document, and the one form of its page.

``POST /page/act`` takes the whole form of the document page; its ``action`` field says which
button was pressed. Actions that change the document (translate, review) answer the page with
the changed document in its hidden field; downloads answer the file. Every document produced or
changed is written to the audit log, as the API's actions are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from interop.errors import InteropError
from interop.render.html import RenderOptions
from interop.render.job import Format, RenderJob
from interop.serve import tasks, tasks_translate
from interop.serve.auth import LOCAL
from interop.serve.limits import FIELD, plain_name, read_form
from interop.serve.page import examples, findings, login, state, work
from interop.serve.page.templates import render_page, stylesheet
from interop.serve.page.text import UI_FIELD, choose, page_text
from interop.serve.problems import Problem
from interop.serve.routes.content import stem
from interop.serve.service import record, service, who
from interop.xmlio import Limits

ACTIONS: Final = ("preview", "translate", "review", "download-html", "download-pdf", "download-xml")
# Two text fields per sentence under review, and a few more: a long request has hundreds.
MAX_FIELDS: Final = 5000
_MEDIA: Final = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


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
            return _start_page(request, ui, _nothing_chosen(ui), 400)
    except InteropError as exc:
        return _start_page(request, ui, str(exc), 400)
    try:
        return await _document_page(request, data, name, ui, Choice(), outcome=Outcome())
    except Problem as exc:
        return _start_page(request, ui, exc.detail, exc.status)


def _nothing_chosen(ui: str) -> str:
    return str(page_text(ui).gettext("Choose a file or an example first."))


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
            data, outcome.message = await _translate(request, data, name, choice)
        else:
            data, outcome = await _review(request, data, name, choice, fields)
    except Problem as exc:
        outcome = Outcome(exc.detail, error=True, status=exc.status, pending=_edits(fields))
    return await _document_page(request, data, name, ui, choice, outcome=outcome)


async def _document_page(
    request: Request, data: bytes, name: str, ui: str, choice: Choice, *, outcome: Outcome
) -> Response:
    found = service(request)
    view = await found.engine.call(work.view, data, name, choice.languages)
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


async def _translate(request: Request, data: bytes, name: str, choice: Choice) -> tuple[bytes, str]:
    found = service(request)
    if not choice.to:
        raise Problem(400, "choose the language to translate into")
    job = tasks_translate.TranslateRequest(
        choice.to, choice.engine or None, force=False, memory=found.settings.memory
    )
    done = await found.engine.call(tasks_translate.translate, data, name, job)
    options = {"to": job.target, "engine": job.engine, "force": False}
    files = {name: data, f"{stem(name)}.{job.target}.xml": done.data}
    await record(request, "translate", source=data, output=done.data, options=options, files=files)
    return done.data, str(done.report["summary"])


async def _review(
    request: Request,
    data: bytes,
    name: str,
    choice: Choice,
    fields: dict[str, str],
) -> tuple[bytes, Outcome]:
    found = service(request)
    if not choice.reviewer:
        raise Problem(400, "write your name as the reviewer before saving a review")
    edits = _edits(fields)
    ticked: dict[str, set[str]] = {}
    for key in fields:
        if key.startswith("r:"):
            language, _, path = key[2:].partition(":")
            ticked.setdefault(language, set()).add(path)
    if not ticked:
        raise Problem(400, "tick Reviewed for each passage you have checked, then save")
    summaries = []
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
        summaries.append(f"{language}: {done.report['summary']}")
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
    return data, Outcome("; ".join(summaries), pending=pending)


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
