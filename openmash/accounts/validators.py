"""A password validator that refuses the words an attacker tries first for this service:
the product's name and the hub's name and local authority code (Django's own validators
refuse common and breached passwords, from their offline list, and the user's own details)."""

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError

PRODUCT_WORDS = ("openmash",)
MIN_WORD = 3  # shorter words (an LA code's digits alone) would refuse too much


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def context_words(user: Any) -> list[str]:
    """The product's name, and the user's hub's name and LA code; for an account not yet in a
    hub (being created), every hub's."""
    hub_model = apps.get_model("hubs", "Hub")  # by name: accounts sits below hubs

    hub = getattr(user, "hub", None) if user is not None else None
    hubs = [hub] if hub is not None else list(hub_model.objects.only("name", "la_code"))
    words = list(PRODUCT_WORDS)
    for each in hubs:
        words.append(each.name)
        words.extend(part for part in re.split(r"\W+", each.name) if len(part) >= 5)
        words.append(each.la_code)
    return [w for w in (_squash(word) for word in words) if len(w) >= MIN_WORD]


def password_has_context_word(password: str, user: Any = None) -> str | None:
    squashed = _squash(password)
    for word in context_words(user):
        if word in squashed:
            return word
    return None


class ContextWordsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if password_has_context_word(password, user) is not None:
            raise ValidationError(
                "Your password must not contain the name of this service or of your hub",
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return "Your password must not contain the name of this service or of your hub."
