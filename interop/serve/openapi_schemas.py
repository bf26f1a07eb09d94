"""The JSON Schemas of the OpenAPI description: what each JSON answer holds."""

from __future__ import annotations

from typing import Any, Final


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


_CONVERSION_COUNTS: Final = ("files", "written", "unreadable", "invalid", "lossless")
_STR: Final = {"type": "string"}
_INT: Final = {"type": "integer", "minimum": 0}
_BOOL: Final = {"type": "boolean"}
_NULL_STR: Final = {"type": ["string", "null"]}
_NULL_INT: Final = {"type": ["integer", "null"]}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def schemas() -> dict[str, Any]:
    """The data the API takes and answers with, as JSON Schema 2020-12."""
    loss = _object(
        {
            "kind": {"enum": ["unconsumed", "unfilled", "rejected"]},
            "path": _STR,
            "preview": _STR,
            "reason": _STR,
        }
    )
    finding = _object(
        {
            "severity": {"enum": ["error", "warning"]},
            "rule": _STR,
            "message": _STR,
            "line": _NULL_INT,
            "column": _NULL_INT,
            "xpath": _NULL_STR,
        }
    )
    content = _object(
        {"media_type": _STR, "encoding": {"enum": ["utf-8", "base64"]}, "content": _STR}
    )
    return {
        "Problem": _object(
            {
                "status": {"type": "integer"},
                "title": _STR,
                "detail": _STR,
                "id": _STR,
                "report": {"type": "object"},
            },
            ["status", "title", "detail"],
        ),
        "ValidationReport": _object(
            {
                "summary": _object(
                    dict.fromkeys(("files", "valid", "invalid", "errors", "warnings"), _INT)
                ),
                "files": _list(
                    _object(
                        {
                            "path": _STR,
                            "format": _NULL_STR,
                            "valid": _BOOL,
                            "findings": _list(finding),
                        }
                    )
                ),
            }
        ),
        "Conversion": _object(
            {
                "report": _object(
                    {
                        "summary": _object(dict.fromkeys(_CONVERSION_COUNTS, _INT)),
                        "files": _list(
                            _object(
                                {
                                    "source": _STR,
                                    "output": _NULL_STR,
                                    "error": _NULL_STR,
                                    "valid": _BOOL,
                                    "loss": _list(loss),
                                    "attachments": _list(
                                        _object(
                                            {
                                                "name": _STR,
                                                "written": _BOOL,
                                                "carries_only": _list(loss),
                                            }
                                        )
                                    ),
                                    "findings": _list(
                                        _object(
                                            {
                                                "severity": {"enum": ["error", "warning"]},
                                                "rule": _STR,
                                                "message": _STR,
                                                "line": _NULL_INT,
                                            }
                                        )
                                    ),
                                }
                            )
                        ),
                    }
                ),
                "document": content,
                "attachments": _list(
                    {
                        **content,
                        "properties": {**content["properties"], "name": _STR},
                        "required": [*content["required"], "name"],
                    }
                ),
            }
        ),
        "Health": _object(
            {"status": {"const": "ok"}, "workers": {"type": "integer", "minimum": 1}}
        ),
        "Version": _object({"name": {"const": "interop"}, "version": _STR, "api": {"const": "v1"}}),
        "Formats": _list(
            _object(
                {
                    "name": _STR,
                    "family": _STR,
                    "namespace": _STR,
                    "version": _STR,
                    "root": _STR,
                    "rules": _list(_STR),
                }
            )
        ),
        "Converters": _list(
            _object(
                {
                    "name": _STR,
                    "version": _STR,
                    "directions": _list({"enum": ["to-common", "from-common"]}),
                    "document_types": _list(_STR),
                    "description": _STR,
                    "error": _STR,
                },
                ["name"],
            )
        ),
        "Notices": _object(
            {
                "notices": _list(_object({"name": _STR, "title": _STR, "documents": _list(_STR)})),
                "languages": _list(_object({"code": _STR, "name": _STR, "reviewed_by": _NULL_STR})),
            }
        ),
        **_review_schemas(content),
    }


def _review_schemas(content: dict[str, Any]) -> dict[str, Any]:
    translated = _object(
        {
            "path": _STR,
            "outcome": {"enum": ["translated", "from-memory", "kept", "flagged"]},
            "source": _NULL_STR,
            "reason": _STR,
            "segments": _INT,
            "from_memory": _INT,
            "violations": _list(_STR),
        }
    )
    reviewed = _object(
        {
            "path": _STR,
            "outcome": {"enum": ["reviewed", "human", "unchanged", "incomplete"]},
            "detail": _STR,
        }
    )
    statuses = ("ok", "modified", "missing", "extra", "unverified", "skipped")
    hashes = {"type": "object", "additionalProperties": _STR}
    return {
        "Translation": _object(
            {
                "report": _object({"target": _STR, "summary": _STR, "fields": _list(translated)}),
                "document": content,
            }
        ),
        "Review": _object(
            {
                "report": _object(
                    {"target": _STR, "summary": _STR, "stored": _INT, "fields": _list(reviewed)}
                ),
                "document": content,
            }
        ),
        "Verification": _object(
            {
                "manifest": _STR,
                "folder": _STR,
                "ok": _BOOL,
                "summary": _object(dict.fromkeys(statuses, _INT)),
                "files": _list(
                    _object(
                        {
                            "item": _NULL_STR,
                            "path": _STR,
                            "status": {"enum": list(statuses)},
                            "detail": _STR,
                            "expected": hashes,
                            "actual": hashes,
                        }
                    )
                ),
            }
        ),
    }
