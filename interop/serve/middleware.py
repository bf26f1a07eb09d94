"""ASGI middleware: a request id on every answer, and the bearer-token check."""

from __future__ import annotations

import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interop.serve.auth import LOCAL, Tokens
from interop.serve.page import login
from interop.serve.problems import problem

REQUEST_ID = "X-Request-Id"
SAFE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"


class RequestId:
    """Gives each request an id (``scope["state"]["request_id"]``) and answers with it.

    Every answer also says that it must not be cached (documents about people) nor have its
    type guessed; an HTML notice may not run scripts or load anything (its own CSS only).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID] = request_id
                headers.update(SAFE_HEADERS)
                html = headers.get("content-type", "").startswith("text/html")
                if html and "content-security-policy" not in headers:  # the page sets its own
                    headers["Content-Security-Policy"] = HTML_POLICY
            await send(message)

        await self.app(scope, receive, send_with_id)


class Authenticate:
    """With tokens, every request needs ``Authorization: Bearer TOKEN`` (401 otherwise).

    The clerk's page may carry the token in its cookie instead (see
    :mod:`interop.serve.page.login`); a page request without one is sent to the sign-in form.
    Who made the request (the token's name, or ``local`` without tokens) goes into
    ``scope["state"]["who"]`` for the audit log.
    """

    def __init__(self, app: ASGIApp, tokens: Tokens | None) -> None:
        self.app = app
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        who: str | None = LOCAL
        if self.tokens is not None:
            headers = Headers(scope=scope)
            path = scope["path"]
            authorization = headers.get("authorization")
            if authorization is None and login.is_page(path):
                authorization = login.cookie_token(headers)
            who = self.tokens.who(authorization)
            if who is None and path in login.OPEN_PATHS:
                who = login.NOBODY
            if who is None and login.is_page(path):
                # A browser follows this (a form sent after signing out, too) to the sign-in.
                await RedirectResponse("/login", status_code=303)(scope, receive, send)
                return
        if who is None:
            detail = "this service needs a token: send Authorization: Bearer TOKEN"
            await problem(401, detail)(scope, receive, send)
            return
        scope.setdefault("state", {})["who"] = who
        await self.app(scope, receive, send)
