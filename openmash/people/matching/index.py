"""Real-time matching: an in-memory index of people scored in-process with a model's weights.

Candidates come from blocking keys held in one dict (key hash -> slot or list of slots):

* NHS number; agency identifier;
* date of birth + each given-name nickname key (so Bob finds Robert);
* date of birth + soundex of each surname part (Smith-Jones finds Jones);
* date of birth + postcode sector;
* birth year + given-name key + surname soundex (a wrong day or month);
* postcode district + given-name key + surname soundex (a missing or wrong date of birth);
* postcode sector + surname soundex (a missing date of birth and a mistyped given name);
* first address line + postcode area, and + town (several errors at once, same home);
* exact given + family name (blocks of up to ``MAX_NAME_BLOCK``).

A query also looks under its date of birth with day and month swapped and with given and family
names swapped. Aliases contribute their names to the name keys. Every candidate is then scored
with one generated Python function (``comparisons.compile_weight_function``): the same levels and
weights as Splink's SQL, so an index answer and a batch answer agree to the last bit.

Memory: a record is one ``Features`` tuple of interned strings; keys are 64-bit hashes; a key
seen once holds a bare int. About 1.6 KB per person (1,630 MB for 1,000,000 synthetic
people with 7.4 million blocking keys, measured).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from openmash.people.matching.comparisons import (
    COMPARISONS,
    LEVEL_FUNCTIONS,
    compile_weight_function,
)
from openmash.people.matching.features import Features, featurise
from openmash.people.matching.model import MatchModel, probability_to_weight, weight_to_probability
from openmash.people.matching.normalise import given_name_keys, soundex
from openmash.people.matching.records import PersonRecord

#: Keys shared by more records than this are skipped at query time when the query has other,
#: more selective keys (an extremely common name in one postcode district, say).
MAX_BLOCK: int = 5_000
#: The exact-name key (no date of birth or address in it) is used up to this block size.
MAX_NAME_BLOCK: int = 500


@dataclass(frozen=True)
class FieldExplanation:
    comparison: str
    level: str
    weight: float  # log2 Bayes factor; positive moved the pair towards a match


@dataclass(frozen=True)
class Candidate:
    record_id: str
    probability: float
    match_weight: float
    explanation: tuple[FieldExplanation, ...]


def _name_keys(
    given_keys: Iterable[str], family_parts: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(given_keys), tuple(soundex(p) for p in family_parts)


def _keys(
    f: Features,
    given_keys: tuple[str, ...],
    family_sdx: tuple[str, ...],
    dob: str | None,
    dob_y: int | None,
    out: set[int],
) -> None:
    """Add the blocking-key hashes for one view of a record to ``out``."""
    if dob is not None:
        _birth_keys(f, given_keys, family_sdx, dob, out)
    if f.pc_sector is not None:
        for s in family_sdx:
            out.add(hash(("SF", f.pc_sector, s)))
    if dob_y is not None:
        _name_pair_keys("YGF", dob_y, given_keys, family_sdx, out)
    if f.pc_district is not None:
        _name_pair_keys("PGF", f.pc_district, given_keys, family_sdx, out)


def _birth_keys(
    f: Features, given_keys: tuple[str, ...], family_sdx: tuple[str, ...], dob: str, out: set[int]
) -> None:
    """The date of birth with a given name, a family name's soundex or the postcode sector."""
    for k in given_keys:
        out.add(hash(("DG", dob, k)))
    for s in family_sdx:
        out.add(hash(("DF", dob, s)))
    if f.pc_sector is not None:
        out.add(hash(("DS", dob, f.pc_sector)))


def _name_pair_keys(
    tag: str,
    where: object,
    given_keys: tuple[str, ...],
    family_sdx: tuple[str, ...],
    out: set[int],
) -> None:
    """``where`` (a birth year or a postcode district) with each given and family name pair."""
    for k in given_keys:
        for s in family_sdx:
            out.add(hash((tag, where, k, s)))


def _address_keys(f: Features, out: set[int]) -> None:
    if f.addr is not None:
        if f.pc_area is not None:
            out.add(hash(("AA", f.addr, f.pc_area)))
        if f.town is not None:
            out.add(hash(("AT", f.addr, f.town)))


def record_keys(f: Features) -> set[int]:
    """Every key a record is filed under."""
    out: set[int] = set()
    if f.nhs is not None:
        out.add(hash(("N", f.nhs)))
    if f.other_id is not None:
        out.add(hash(("O", f.other_id)))
    given, family = _name_keys(f.all_given_keys, f.all_family_parts)
    _keys(f, given, family, f.dob, f.dob_y, out)
    _address_keys(f, out)
    if f.given_first is not None and f.family_std is not None:
        out.add(hash(("GF", f.given_first, f.family_std)))
    return out


def query_keys(f: Features) -> tuple[set[int], int | None]:
    """Keys to look under for a query (with its variants), and the exact-name key."""
    out: set[int] = set()
    if f.nhs is not None:
        out.add(hash(("N", f.nhs)))
    if f.other_id is not None:
        out.add(hash(("O", f.other_id)))
    given, family = _name_keys(f.all_given_keys, f.all_family_parts)
    _keys(f, given, family, f.dob, f.dob_y, out)
    _address_keys(f, out)
    # Day and month transposed.
    if (
        f.dob is not None
        and f.dob_d is not None
        and f.dob_m is not None
        and f.dob_d <= 12
        and f.dob_d != f.dob_m
    ):
        swapped = f"{f.dob[:5]}{f.dob_d:02d}-{f.dob_m:02d}"
        _keys(f, given, family, swapped, None, out)
    # Given and family names swapped.
    if f.given_first is not None and f.family_first is not None:
        swapped_given = given_name_keys(f.family_first)
        swapped_family = (soundex(f.given_first),)
        _keys(f, swapped_given, swapped_family, f.dob, f.dob_y, out)
    name_only = None
    if f.given_first is not None and f.family_std is not None:
        name_only = hash(("GF", f.given_first, f.family_std))
    return out, name_only


class MatchIndex:
    """People indexed for real-time matching with one model.

    Not thread-safe for writers: guard ``add``/``remove``/``build`` with a lock if several
    threads write; any number of threads may ``query`` between writes.
    """

    def __init__(self, model: MatchModel) -> None:
        self._use_model(model)
        self._features: list[Features | None] = []
        self._ids: list[str | None] = []
        self._slots: dict[str, int] = {}
        self._postings: dict[int, int | list[int]] = {}
        self._free: list[int] = []

    def _use_model(self, model: MatchModel) -> None:
        self._model = model
        self._score = compile_weight_function(model.weights(), model.prior_weight)
        self._weights = model.weights()

    @property
    def model(self) -> MatchModel:
        return self._model

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._slots

    # -- writing ---------------------------------------------------------------------------

    def _post(self, key: int, slot: int) -> None:
        postings = self._postings
        found = postings.get(key)
        if found is None:
            postings[key] = slot
        elif isinstance(found, int):
            postings[key] = [found, slot]
        else:
            found.append(slot)

    def _unpost(self, key: int, slot: int) -> None:
        postings = self._postings
        found = postings.get(key)
        if found is None:
            return
        if isinstance(found, int):
            if found == slot:
                del postings[key]
            return
        try:
            found.remove(slot)
        except ValueError:
            return
        if len(found) == 1:
            postings[key] = found[0]
        elif not found:
            del postings[key]

    def _insert(self, record_id: str, features: Features) -> None:
        if record_id in self._slots:
            self.remove(record_id)
        if self._free:
            slot = self._free.pop()
            self._features[slot] = features
            self._ids[slot] = record_id
        else:
            slot = len(self._features)
            self._features.append(features)
            self._ids.append(record_id)
        self._slots[record_id] = slot
        for key in record_keys(features):
            self._post(key, slot)

    def add(self, record: PersonRecord) -> None:
        """Insert a record, or replace the record with the same ``record_id``."""
        self._insert(record.record_id, featurise(record))

    def remove(self, record_id: str) -> None:
        """Remove a record; unknown ids are ignored."""
        slot = self._slots.pop(record_id, None)
        if slot is None:
            return
        features = self._features[slot]
        if features is not None:
            for key in record_keys(features):
                self._unpost(key, slot)
        self._features[slot] = None
        self._ids[slot] = None
        self._free.append(slot)

    def build(self, records: Iterable[PersonRecord]) -> None:
        """Replace the index's contents with ``records`` (a later duplicate id wins).

        A model whose prior scales with the data (``default_model``) gets the prior for the
        number of records built (``MatchModel.scaled_to``); later ``add`` calls keep it."""
        self._features = []
        self._ids = []
        self._slots = {}
        self._postings = {}
        self._free = []
        features_list = self._features
        ids = self._ids
        slots = self._slots
        postings = self._postings
        for record in records:
            record_id = record.record_id
            if record_id in slots:
                self.remove(record_id)
            features = featurise(record)
            slot = len(features_list)
            features_list.append(features)
            ids.append(record_id)
            slots[record_id] = slot
            for key in record_keys(features):
                found = postings.get(key)
                if found is None:
                    postings[key] = slot
                elif found.__class__ is int:
                    postings[key] = [found, slot]  # type: ignore[list-item]
                else:
                    found.append(slot)  # type: ignore[union-attr]
        scaled = self._model.scaled_to(len(slots))
        if scaled is not self._model:
            self._use_model(scaled)

    # -- reading ---------------------------------------------------------------------------

    def _candidates(self, features: Features) -> set[int]:
        keys, name_only = query_keys(features)
        postings = self._postings
        found: set[int] = set()
        big: list[list[int]] = []
        for key in keys:
            hit = postings.get(key)
            if hit is None:
                continue
            if hit.__class__ is int:
                found.add(hit)  # type: ignore[arg-type]
            elif len(hit) > MAX_BLOCK:  # type: ignore[arg-type]
                big.append(hit)  # type: ignore[arg-type]
            else:
                found.update(hit)  # type: ignore[arg-type]
        if name_only is not None:
            hit = postings.get(name_only)
            if hit is not None:
                if hit.__class__ is int:
                    found.add(hit)  # type: ignore[arg-type]
                elif len(hit) > MAX_NAME_BLOCK:  # type: ignore[arg-type]
                    big.append(hit)  # type: ignore[arg-type]
                else:
                    found.update(hit)  # type: ignore[arg-type]
        if not found:
            for hit_list in big:  # only over-sized blocks: better than nothing
                found.update(hit_list)
        return found

    def candidate_ids(self, record: PersonRecord) -> list[str]:
        """The ids of the records a query for ``record`` would score (its blocks), unscored:
        so a caller can narrow them (e.g. to one agency's) and pass that as ``keep``."""
        ids = self._ids
        return [rid for slot in self._candidates(featurise(record)) if (rid := ids[slot])]

    def explain(self, left: Features, right: Features) -> tuple[FieldExplanation, ...]:
        weights = self._weights
        out = []
        for comparison, level_of in zip(COMPARISONS, LEVEL_FUNCTIONS, strict=True):
            level = comparison.levels[level_of(left, right)]
            weight = 0.0 if level.is_null else weights[comparison.name][level.label]
            out.append(FieldExplanation(comparison.name, level.label, weight))
        return tuple(out)

    def query(
        self,
        record: PersonRecord,
        *,
        limit: int = 10,
        min_probability: float = 0.5,
        keep: Callable[[str], bool] | None = None,
    ) -> list[Candidate]:
        """Indexed records that may be the same person, best first (ties by record id).

        A record already in the index with the query's ``record_id`` is a candidate like any
        other (it will usually score highest); filter it out if that is not wanted.
        ``keep`` limits the answer to the record ids it accepts, before the ``limit`` is
        applied: records left out can then never push a kept one off the list.
        """
        query = featurise(record)
        floor = probability_to_weight(min_probability)
        score = self._score
        features_list = self._features
        ids = self._ids
        scored: list[tuple[float, int]] = []
        for slot in self._candidates(query):
            features = features_list[slot]
            if features is None:
                continue
            if keep is not None and not keep(ids[slot] or ""):
                continue
            weight = score(query, features)
            if weight >= floor:
                scored.append((weight, slot))
        scored.sort(key=lambda ws: (-ws[0], ids[ws[1]] or ""))
        out = []
        for weight, slot in scored[: max(0, limit)]:
            features = features_list[slot]
            record_id = ids[slot]
            assert features is not None and record_id is not None
            out.append(
                Candidate(
                    record_id=record_id,
                    probability=weight_to_probability(weight),
                    match_weight=weight,
                    explanation=self.explain(query, features),
                )
            )
        return out

    def score_pair(self, left: PersonRecord, right: PersonRecord) -> Candidate:
        """Score two records directly (no index involved); ``record_id`` is the right's."""
        lf, rf = featurise(left), featurise(right)
        weight = self._score(lf, rf)
        return Candidate(
            record_id=right.record_id,
            probability=weight_to_probability(weight),
            match_weight=weight,
            explanation=self.explain(lf, rf),
        )

    def record_ids(self) -> Iterator[str]:
        return iter(self._slots)

    def block_sizes(self) -> tuple[int, int, float]:
        """(number of keys, largest block, mean block size): for monitoring."""
        sizes = [1 if isinstance(v, int) else len(v) for v in self._postings.values()]
        if not sizes:
            return 0, 0, 0.0
        return len(sizes), max(sizes), math.fsum(sizes) / len(sizes)
