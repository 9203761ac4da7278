"""One way to gather every field problem of a request and raise them all at once.

    problems = FieldProblems()
    if not rationale.strip():
        problems.add("rationale", "Enter the rationale")
    problems.check_length("note", note, 2000, "The note")
    problems.raise_if_any()

The first problem added becomes the error's summary message (pages show every one in the
GOV.UK error summary; the API answers them in ``errors``)."""

from collections.abc import Iterator, Mapping, Sequence

from .errors import ValidationError


class FieldProblems:
    """An ordered map of field name to messages, raised as one ``ValidationError``."""

    def __init__(self) -> None:
        self._problems: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self._problems.setdefault(field, []).append(message)

    def add_all(self, errors: Mapping[str, Sequence[str]]) -> None:
        for field, messages in errors.items():
            for message in messages:
                self.add(field, message)

    def check_length(self, field: str, text: str, limit: int, name: str) -> None:
        if len(text) > limit:
            self.add(field, f"{name} must be {limit:,} characters or fewer")

    def __contains__(self, field: object) -> bool:
        return field in self._problems

    def __bool__(self) -> bool:
        return bool(self._problems)

    def __iter__(self) -> Iterator[str]:
        return iter(self._problems)

    def as_dict(self) -> dict[str, list[str]]:
        return {field: list(messages) for field, messages in self._problems.items()}

    def raise_if_any(self) -> None:
        if self._problems:
            first = next(iter(self._problems.values()))[0]
            raise ValidationError(first, errors=self._problems)


def raise_if_any(errors: Mapping[str, Sequence[str]]) -> None:
    """Raise a ``ValidationError`` for a plain errors mapping when it holds anything."""
    problems = FieldProblems()
    problems.add_all(errors)
    problems.raise_if_any()
