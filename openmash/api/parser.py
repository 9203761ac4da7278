"""JSON parsing that refuses NUL characters: PostgreSQL cannot store them in text, and no
genuine safeguarding record contains one (Django's form fields refuse them the same way)."""

import json
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.types import DictStrAny


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


class BodyRefused(ValueError):
    """Why a body was refused; ninja wraps it in a 400 whose handler shows this message."""


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        try:
            data: DictStrAny = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyRefused("The request body is not valid JSON.") from exc
        if _contains_nul(data):
            raise BodyRefused("Text must not contain NUL characters.")
        return data

    def parse_querydict(
        self, data: Any, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        parsed = super().parse_querydict(data, list_fields, request)
        if _contains_nul(parsed):
            raise HttpError(400, "Text must not contain NUL characters.")
        return parsed
