"""JSON parsing that refuses what the database or Python cannot take (core/json_input.py):
NUL characters, unpaired surrogates and nesting deep enough to exhaust the stack. Django's form
fields refuse NUL the same way."""

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.types import DictStrAny

from openmash.core.json_input import JsonRefused, json_load_strict, json_refusal


class BodyRefused(ValueError):
    """Why a body was refused; ninja wraps it in a 400 whose handler shows this message."""


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        try:
            data: DictStrAny = json_load_strict(request.body)
        except JsonRefused as exc:
            message = str(exc)
            if "not valid JSON" in message:
                message = "The request body is not valid JSON."
            raise BodyRefused(message) from exc
        return data

    def parse_querydict(
        self, data: Any, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        parsed = super().parse_querydict(data, list_fields, request)
        reason = json_refusal(parsed)
        if reason:
            raise HttpError(400, reason)
        return parsed
