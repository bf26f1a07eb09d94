"""The ASGI application: routes, middleware, error answers and the workers' lifetime.

``create_app(settings)`` builds it; uvicorn's worker processes call :func:`from_environment`.
The clerk's page (:mod:`interop.serve.page`) is more routes on the same app, kept out of the API
description.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Scope

from interop.errors import InteropError
from interop.serve import openapi, problems
from interop.serve.audit import AuditLog
from interop.serve.auth import load_tokens
from interop.serve.engine import Engine
from interop.serve.middleware import Authenticate, RequestId
from interop.serve.page import login
from interop.serve.page import routes as page
from interop.serve.routes import convert, evidence, info, render, translate, validate
from interop.serve.service import Service
from interop.serve.settings import ServeSettings
from interop.serve.workspace import Workspace

Handler = Callable[[Request, Exception], Awaitable[Response]]


def api_routes() -> list[BaseRoute]:
    """Every route of the JSON API."""
    return [
        *validate.ROUTES,
        *convert.ROUTES,
        *translate.ROUTES,
        *render.ROUTES,
        *evidence.ROUTES,
        *info.ROUTES,
        *openapi.ROUTES,
    ]


def create_app(settings: ServeSettings, engine: Engine | None = None) -> Starlette:
    """The service. ``engine``: workers to share (tests); by default the app starts its own.

    Raises:
        UsageError: an unreadable token file or audit log.
    """
    tokens = load_tokens(settings.token_file) if settings.token_file else None
    own_engine = engine is None
    found = Service(
        settings,
        engine
        or Engine(
            settings.jobs, settings.max_upload, threads=settings.threads, timeout=settings.timeout
        ),
        AuditLog(settings.audit_log),
        Workspace(settings.workspace) if settings.workspace else None,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await found.engine.start()
        try:
            yield
        finally:
            if own_engine:
                found.engine.close()
            found.audit.close()

    app = Starlette(
        routes=[*api_routes(), *page.routes()],
        middleware=[
            Middleware(RequestId),
            Middleware(problems.CatchAll, answer=_page_or_problem),
            Middleware(Authenticate, tokens=tokens),
        ],
        exception_handlers={
            problems.Problem: _page_or(problems.on_problem),
            InteropError: _page_or(problems.on_interop_error),
            HTTPException: _page_or(problems.on_http_error),
        },
        lifespan=lifespan,
    )
    app.state.service = found
    app.state.tokens = tokens
    return app


# Errors on the page's paths get the page's answer, the API's a problem document: both for
# errors a route raises (the handlers) and for unexpected ones (CatchAll's 500).


def _page_or(api: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if login.is_page(request.url.path):
            return await page.on_error(request, exc)
        return await api(request, exc)

    return handle


def _page_or_problem(scope: Scope, status: int, detail: str, **extra: Any) -> ASGIApp:
    if login.is_page(scope["path"]):
        return page.error_answer(scope, status, detail, **extra)
    return problems.problem_answer(scope, status, detail, **extra)


def from_environment() -> Starlette:
    """The app of one uvicorn worker process, from the settings ``interop serve`` passed on."""
    return create_app(ServeSettings.from_environment())
