"""Signing in to the page when the service has tokens, and guarding its forms.

A browser cannot add ``Authorization: Bearer`` to a form, so the page takes the token once
(``/login``) and keeps it in a cookie: HttpOnly (no script reads it), SameSite=Strict (no other
site's page sends it) and limited to the page's paths. The API never accepts the cookie, only
the header. The page's forms also check ``Origin`` / ``Sec-Fetch-Site``: a form posted from
another site is refused even in a browser that ignores SameSite.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from interop.serve.limits import read_body
from interop.serve.problems import Problem

COOKIE: Final = "interop_token"
# Paths of the page (the cookie is sent for these and the middleware accepts it there).
PAGE_PATHS: Final = ("/", "/page/", "/login", "/logout")
OPEN_PATHS: Final = ("/login", "/page/page.css")  # reachable before signing in
NOBODY: Final = "-"  # who the audit log would name on those paths (nothing there is audited)
# The page's own policy: its stylesheet, forms to itself, a notice preview in a sandboxed
# frame (srcdoc, which inherits this policy), no script, never framed by another site.
PAGE_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src data:; font-src data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def is_page(path: str) -> bool:
    """Whether ``path`` belongs to the page (where the cookie counts) rather than the API."""
    return path == "/" or path.startswith(PAGE_PATHS[1:])


def cookie_token(headers: Headers) -> str | None:
    """The token of the page's cookie, as an ``Authorization`` header value."""
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == COOKIE and value:
            return f"Bearer {value}"
    return None


def enabled(request: Request) -> bool:
    return request.app.state.service.settings.token_file is not None


def check_origin(request: Request) -> None:
    """Refuse a form posted from another site (403)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise Problem(403, "this form can only be sent from the page itself")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise Problem(403, "this form can only be sent from the page itself")


async def login_page(request: Request) -> Response:
    from interop.serve.page.templates import render_page  # noqa: PLC0415
    from interop.serve.page.text import UI_FIELD, choose  # noqa: PLC0415

    ui = choose(request.query_params.get(UI_FIELD), request.headers.get("accept-language"))
    failed = request.query_params.get("failed") == "1"
    html = render_page("login.html.j2", ui, failed=failed)
    return HTMLResponse(html, status_code=401 if failed else 200, headers=PAGE_HEADERS)


async def sign_in(request: Request) -> Response:
    """Check the token and keep it in the cookie; a wrong one goes back to the form."""
    from urllib.parse import parse_qs  # noqa: PLC0415

    check_origin(request)
    body = await read_body(request, 8192)
    token = (parse_qs(body.decode("utf-8", "replace")).get("token") or [""])[0].strip()
    tokens = request.app.state.tokens
    if tokens is None or tokens.who(f"Bearer {token}") is None:
        return RedirectResponse("/login?failed=1", status_code=303)
    answer = RedirectResponse("/", status_code=303)
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    answer.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")
    return answer


async def sign_out(request: Request) -> Response:
    check_origin(request)
    answer = RedirectResponse("/login", status_code=303)
    answer.delete_cookie(COOKIE, path="/")
    return answer


def routes() -> list[BaseRoute]:
    return [
        Route("/login", login_page, methods=["GET"], include_in_schema=False),
        Route("/login", sign_in, methods=["POST"], include_in_schema=False),
        Route("/logout", sign_out, methods=["POST"], include_in_schema=False),
    ]
