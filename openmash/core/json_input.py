"""Reading JSON from outside (API bodies, uploaded returns) without a 500 on hostile input.

``json.loads`` alone lets through what the database or Python cannot handle: nesting deep
enough to exhaust the stack (RecursionError), lone UTF-16 surrogates ("\\ud800", which
PostgreSQL refuses to store and UTF-8 cannot encode) and NUL characters (PostgreSQL text cannot
hold them). Each is refused here with a plain reason (``JsonRefused``), which callers turn into
a 400 or a field error."""

import json
from typing import Any

MAX_DEPTH = 64  # no genuine document of ours nests deeper than about 8


class JsonRefused(ValueError):
    """Why a JSON document was refused, in words for the sender."""


def json_refusal(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """Why an already-parsed value cannot be accepted, or None. Iterative: any depth is safe."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "Text must not contain NUL characters."
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "Text must not contain unpaired surrogate characters (\\ud800-\\udfff)."
        elif isinstance(item, dict | list):
            if depth > max_depth:
                return f"The JSON is nested more than {max_depth} levels deep."
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def json_load_strict(raw: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse and check a JSON document from outside; JsonRefused says why it was refused."""
    try:
        parsed = json.loads(raw)
    except RecursionError as exc:
        raise JsonRefused(f"The JSON is nested more than {max_depth} levels deep.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise JsonRefused(f"The request body is not valid JSON ({exc}).") from exc
    reason = json_refusal(parsed, max_depth)
    if reason:
        raise JsonRefused(reason)
    return parsed
