"""Options of a request: from the query string, or from a form's text fields (browsers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.requests import Request

from interop.serve.problems import Problem


class Params:
    """The options of one request, checked against what the endpoint takes."""

    def __init__(self, request: Request, known: Sequence[str], form: Mapping[str, str]) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in [*request.query_params.multi_items(), *form.items()]:
            self._values.setdefault(key, []).append(value)
        unknown = sorted(set(self._values) - set(known) - {"document"})
        if unknown:
            takes = ", ".join(known) or "no parameters"
            raise Problem(400, f"unknown parameter {unknown[0]!r}; this endpoint takes: {takes}")

    def text(self, name: str) -> str | None:
        values = self._values.get(name)
        if not values:
            return None
        if len(values) > 1:
            raise Problem(400, f"parameter {name!r} is given {len(values)} times; give it once")
        value = values[0].strip()
        return value or None

    def texts(self, name: str) -> list[str]:
        return [v for v in self._values.get(name, []) if v.strip()]

    def choice(self, name: str, choices: Sequence[str], default: str | None = None) -> str | None:
        value = self.text(name)
        if value is None:
            return default
        if value not in choices:
            raise Problem(400, f"{name}={value!r}: choose one of {', '.join(choices)}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.choice(name, ("true", "false"))
        return default if value is None else value == "true"
