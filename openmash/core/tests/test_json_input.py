import pytest
from hypothesis import given
from hypothesis import strategies as st

from openmash.core.json_input import JsonRefused, json_load_strict, json_refusal


def test_plain_documents_are_read() -> None:
    assert json_load_strict(b'{"a": [1, {"b": "caf\\u00e9"}]}') == {"a": [1, {"b": "café"}]}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("[" * 10_000 + "]" * 10_000, "nested"),
        ("[" * 200 + "]" * 200, "nested"),
        ('{"name": "\\ud800"}', "surrogate"),
        ('{"\\udfff": 1}', "surrogate"),
        ('{"name": "a\\u0000b"}', "NUL"),
        (b"\xff\xfe", "not valid JSON"),
        ("{", "not valid JSON"),
    ],
)
def test_hostile_documents_are_refused_with_a_reason(raw: str | bytes, reason: str) -> None:
    with pytest.raises(JsonRefused, match=reason):
        json_load_strict(raw)


@given(st.recursive(st.none() | st.integers() | st.text(), lambda c: st.lists(c, max_size=3)))
def test_refusal_never_raises(value: object) -> None:
    reason = json_refusal(value)
    assert reason is None or isinstance(reason, str)
