"""The OpenAPI 3.1 description of the API, served at ``/v1/openapi.json``.

Written out here rather than derived from the code, so that it reads as the contract; a test
keeps it true (every route is described and every description has a route; schemathesis
checks the answers against it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from interop import __version__
from interop.serve.openapi_schemas import schemas

PROBLEM: Final = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
XML_BODY: Final = {"type": "string", "format": "binary"}
_DOCUMENT_FORM: Final = {
    "schema": {
        "type": "object",
        "properties": {"document": XML_BODY},
        "required": ["document"],
    },
    "encoding": {
        "document": {"contentType": "application/xml, text/xml, application/octet-stream"}
    },
}


def _errors(*statuses: int) -> dict[str, Any]:
    descriptions = {
        400: "Unreadable or hostile input, or bad parameters (one-line message as the CLI's)",
        401: "Missing or wrong bearer token",
        408: "The upload stalled (nothing arrived for 30 s)",
        413: "Upload larger than the limit",
        415: "Content type not accepted",
        422: "A document that cannot serve (invalid output, a notice that cannot be made)",
        500: "Internal error: an id to find the details in the server's log",
        503: "A worker stopped or none answered",
    }
    uploads = (408,) if 413 in statuses else ()  # an endpoint that reads an upload
    return {
        str(s): {"description": descriptions[s], "content": PROBLEM}
        for s in (401, 500, *statuses, *uploads)
    }


def _upload(types: tuple[str, ...]) -> dict[str, Any]:
    content: dict[str, Any] = {t: {"schema": XML_BODY} for t in types}
    content["multipart/form-data"] = _DOCUMENT_FORM
    return {"required": True, "content": content}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _json(ref: str, description: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _get(summary: str, ref: str, *errors: int) -> dict[str, Any]:
    return {
        "get": {"summary": summary, "responses": {"200": _json(ref, summary), **_errors(*errors)}}
    }


_XML = ("application/xml", "text/xml")
_DATA = (
    *_XML,
    "application/json",
    "application/ld+json",
    "text/csv",
    "text/plain",
    "application/octet-stream",
)


_XML_PARTS: Final = "application/xml, text/xml, application/octet-stream"


def _form(required: dict[str, Any], optional: dict[str, Any], **types: str) -> dict[str, Any]:
    return {
        "schema": {
            "type": "object",
            "properties": {**required, **optional},
            "required": list(required),
        },
        "encoding": {name: {"contentType": value} for name, value in types.items()},
    }


def _review_paths() -> dict[str, Any]:
    to = {**_query("to", "Language to translate into (ISO 639-1)"), "required": True}
    glossary = {"glossary": XML_BODY}
    body = {
        "required": True,
        "content": {
            **{t: {"schema": XML_BODY} for t in _XML},
            "multipart/form-data": _form(
                {"document": XML_BODY}, glossary, document=_XML_PARTS, glossary=_GLOSSARY_PARTS
            ),
        },
    }
    errors = _errors(400, 413, 415, 422)
    return {
        "/v1/translate": {
            "post": {
                "summary": "Machine-translate a document's free text, keeping the provenance",
                "parameters": [
                    to,
                    _query("engine", "apertium or argos [by language pair]"),
                    _query("force", "Replace unreviewed machine translations", _BOOL_TEXT),
                ],
                "requestBody": body,
                "responses": {"200": _json("Translation", "The translated document"), **errors},
            }
        },
        "/v1/xliff/export": {
            "post": {
                "summary": "The XLIFF 1.2 file for reviewing a translation in a CAT tool",
                "parameters": [to],
                "requestBody": body,
                "responses": {
                    "200": {
                        "description": "XLIFF 1.2",
                        "content": {"application/x-xliff+xml": {"schema": {"type": "string"}}},
                    },
                    **errors,
                },
            }
        },
        "/v1/xliff/import": {
            "post": {
                "summary": "Bring a reviewed XLIFF file back, recording the reviewer",
                "parameters": [
                    {**_query("reviewer", "Who reviewed the translation"), "required": True}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": _form(
                            {"document": XML_BODY, "xliff": XML_BODY},
                            {},
                            document=_XML_PARTS,
                            xliff="application/x-xliff+xml, application/xml, text/xml",
                        )
                    },
                },
                "responses": {"200": _json("Review", "The reviewed document"), **errors},
            }
        },
    }


_GLOSSARY_PARTS: Final = "application/x-tbx+xml, application/xml, text/xml, text/csv"
_BOOL_TEXT: Final = {"type": "string", "enum": ["true", "false"]}


def _paths() -> dict[str, Any]:
    return {
        "/v1/validate": {
            "post": {
                "summary": "Validate a document (schema, then business rules)",
                "description": "The same JSON report as `interop validate --format json`; "
                "200 whether the document is valid or not (see `summary.valid`).",
                "parameters": [
                    _query(
                        "format",
                        "Validate as this bundled format (GET /v1/formats) "
                        "instead of the one detected from the root element",
                    )
                ],
                "requestBody": _upload(_XML),
                "responses": {
                    "200": _json("ValidationReport", "The validation report"),
                    **_errors(400, 413, 415),
                },
            }
        },
        "/v1/convert": {
            "post": {
                "summary": "Convert a document between formats, with its loss report",
                "parameters": [
                    _query("from", "Format of the upload (GET /v1/converters)"),
                    _query("to", "Format to produce"),
                    _query("document_language", "Language of the document made (CSV imports)"),
                    _query("case_reference", "Case file number (CSV imports)"),
                    _query("authority", "NAME;KIND;CC of the compiling or sending authority"),
                    _query("time_zone", "Time zone of local times in a sheet"),
                    {
                        **_query("option", "KEY=VALUE option of the national format; repeatable"),
                        "schema": {"type": "array", "items": {"type": "string"}},
                        "style": "form",
                        "explode": True,
                    },
                ],
                "requestBody": _upload(_DATA),
                "responses": {
                    "200": _json("Conversion", "The converted document and the loss report"),
                    **_errors(400, 413, 415, 422),
                },
            }
        },
        "/v1/render": {
            "post": {
                "summary": "Render a notice (HTML, PDF or text) in one or two languages",
                "parameters": [
                    _query("notice", "Notice kind (GET /v1/notices) [by document type]"),
                    _query("lang", "Language [the recipient's]"),
                    _query("also", "A second language, side by side (needs lang)"),
                    _query(
                        "format",
                        "Output format",
                        {"type": "string", "enum": ["html", "pdf", "txt"]},
                    ),
                    _query(
                        "pdf_variant",
                        "PDF/A-3b or PDF/UA-1 (needs format=pdf)",
                        {"type": "string", "enum": ["pdf/a-3b", "pdf/ua-1"]},
                    ),
                    _query(
                        "validate",
                        "Refuse a document that breaks the rules [true]",
                        {"type": "string", "enum": ["true", "false"]},
                    ),
                ],
                "requestBody": _upload(_XML),
                "responses": {
                    "200": {
                        "description": "The notice",
                        "content": {
                            "text/html": {"schema": {"type": "string"}},
                            "application/pdf": {"schema": XML_BODY},
                            "text/plain": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(400, 413, 415, 422),
                },
            }
        },
        **_review_paths(),
        "/v1/evidence/verify": {
            "post": {
                "summary": "Verify uploaded evidence files against their manifest",
                "description": "The same JSON report as `interop evidence verify --format json`; "
                "200 whether everything matches or not (see `ok`). Each file's name in the form "
                "is its path in the evidence folder.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": _form(
                            {"manifest": XML_BODY},
                            {"files": {"type": "array", "items": XML_BODY}},
                            manifest=_XML_PARTS,
                            files="application/octet-stream",
                        )
                    },
                },
                "responses": {
                    "200": _json("Verification", "The verification report"),
                    **_errors(400, 413, 415),
                },
            }
        },
        "/v1/health": _get("Whether the service and its workers answer", "Health", 503),
        "/v1/version": _get("The toolkit's version", "Version"),
        "/v1/formats": _get("The bundled document types", "Formats"),
        "/v1/converters": _get("The formats conversions take", "Converters"),
        "/v1/notices": _get("Notice kinds and languages", "Notices"),
        "/v1/openapi.json": {
            "get": {
                "summary": "This description",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_errors(),
                },
            }
        },
    }


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "interop",
            "version": __version__,
            "description": "Validate, convert and render cross-border judicial cooperation "
            "documents. Errors are RFC 9457 problem details with the CLI's one-line message.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


async def openapi(request: Request) -> Response:
    return JSONResponse(document())


ROUTES = [Route("/v1/openapi.json", openapi, methods=["GET"])]
