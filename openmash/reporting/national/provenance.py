"""Whose returns an importer may load into the national view (pure rules, no database).

A hub's analysts and administrators may import their own hub's return (its local authority
code), and the returns of the hubs their hub collects for, as the deployment's operator lists
them in settings.OPENMASH_NATIONAL_RETURN_SOURCES ({importing hub's code: [hub codes]}; e.g. a
regional or national collector). The list is in settings, not in the database, so that no
role inside the product (not even the hub administrator) can widen it."""

from collections.abc import Iterable, Mapping


def importable_hub_codes(
    *, importer_hub_code: str | None, sources: Mapping[str, Iterable[str]]
) -> frozenset[str]:
    if not importer_hub_code:
        return frozenset()
    return frozenset({importer_hub_code, *sources.get(importer_hub_code, ())})


def may_import(
    *, importer_hub_code: str | None, return_hub_code: str, sources: Mapping[str, Iterable[str]]
) -> bool:
    codes = importable_hub_codes(importer_hub_code=importer_hub_code, sources=sources)
    return return_hub_code in codes
