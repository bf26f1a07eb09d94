"""Errors as HTTP answers: RFC 9457 problem details, one line of text, never a traceback.

Every error the service answers with is ``application/problem+json``: ``status``, ``title``
(the kind) and ``detail`` (the same one-line message the CLI prints after ``interop: error:``).
Unexpected failures are logged here, with an id that the answer repeats, and nothing else.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interop.errors import InteropError, RenderError

PROBLEM_JSON: Final = "application/problem+json"
TITLES: Final = {
    400: "Bad request",
    401: "Unauthorized",
    404: "Not found",
    405: "Method not allowed",
    408: "Upload timed out",
    413: "Upload too large",
    415: "Unsupported media type",
    422: "Unprocessable document",
    500: "Internal error",
    503: "Service unavailable",
}
log = logging.getLogger("interop.serve")


class Problem(Exception):
    """An error answer a route raises: status, one-line detail, optional extra members."""

    def __init__(self, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


def problem(status: int, detail: str, **extra: Any) -> JSONResponse:
    body = {"status": status, "title": TITLES.get(status, "Error"), "detail": detail, **extra}
    headers = {"WWW-Authenticate": 'Bearer realm="interop"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_of(exc: InteropError) -> int:
    """400 for input or options that cannot be used; 422 for a document that cannot serve
    (what the CLI exits with 1 for: invalid, or a notice that cannot be made from it)."""
    return 422 if isinstance(exc, RenderError) or exc.exit_code == 1 else 400


async def on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem(exc.status, exc.detail, **exc.extra)


async def on_interop_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InteropError)
    return problem(status_of(exc), str(exc))


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    generic = exc.detail == HTTPStatus(exc.status_code).phrase
    return problem(exc.status_code, _detail(request, exc) if generic else str(exc.detail))


def _detail(request: Request, exc: HTTPException) -> str:
    if exc.status_code == 404:
        return f"no such endpoint: {request.url.path} (see /v1/openapi.json)"
    if exc.status_code == 405:
        return f"{request.method} is not allowed on {request.url.path}"
    return str(exc.detail)


Answer = Callable[..., ASGIApp]
"""Makes the answer to an error: ``answer(scope, status, detail, **extra)``."""


def problem_answer(scope: Scope, status: int, detail: str, **extra: Any) -> ASGIApp:
    """The API's answer to an error: a problem document."""
    return problem(status, detail, **extra)


class CatchAll:
    """ASGI middleware: an unexpected exception becomes a 500 problem with an id; the
    details (traceback included) go to the server's log under that id, never to the client.

    ``answer`` words the 500 (the clerk's page answers a page, not JSON).
    """

    def __init__(self, app: ASGIApp, answer: Answer = problem_answer) -> None:
        self.app = app
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            error_id = scope.get("state", {}).get("request_id") or uuid.uuid4().hex
            log.exception("internal error %s on %s %s", error_id, scope["method"], scope["path"])
            if started:
                raise
            detail = f"internal error {error_id}; the details are in the server's log"
            await self.answer(scope, 500, detail, id=error_id)(scope, receive, send)
