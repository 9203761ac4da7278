"""Finding the same person across agencies' records: explainable, fast, pure Python.

No Django here, so batch jobs and benchmarks can import it on its own.

* ``records``: ``PersonRecord`` and a strict CSV reader (``read_people_csv``).
* ``normalise`` / ``nicknames``: names, postcodes, NHS numbers; a curated nickname table.
* ``features``: the normalised columns every comparison reads (the same for Splink and Python).
* ``comparisons``: the one definition of each comparison and its ordered levels, rendered to
  Splink SQL and compiled to Python.
* ``model``: ``MatchModel`` (Fellegi-Sunter m/u per level, JSON, versioned), ``default_model``.
* ``train``: ``train_model``, unsupervised, Splink 5 on DuckDB (imports Splink lazily).
* ``index``: ``MatchIndex``, real-time matching in process with the model's exact weights.
* ``batch``: ``link`` / ``dedupe`` with Splink, and CSV writers.

Comparisons and levels (first matching level wins; "null" means no evidence either way):

* given_name: exact, nickname (Bob ~ Robert, middle names), typo (one edit), prefix
  (Matt ~ Matthew), initial, alias, swapped, swapped_fuzzy, swapped_renamed (swapped on one
  record, a new surname on the other), nickname_typo (one edit from a
  nickname), fuzzy (jaro-winkler >= 0.88), twin_pattern (derived), household_pattern
  (derived), different
* family_name: exact, typo, part (Smith-Jones ~ Jones), alias, swapped, swapped_fuzzy, different
* date_of_birth: exact, transposed (day/month), one_digit, two_of_three, generation_pattern
  (derived), different
* sex: exact, different
* nhs_number: exact, exact_dob_conflict (derived, weight 0), different
* location: same_address, postcode, address_line, sector, district, area, different
* other_id: exact, different

The derived levels explain away household evidence that breaks Fellegi-Sunter's independence
assumption (twins; a parent and child with the same name; a relative's NHS number): see
``model.derive_levels``.
"""

from openmash.people.matching.index import Candidate, FieldExplanation, MatchIndex
from openmash.people.matching.model import MatchModel, default_model
from openmash.people.matching.records import CsvError, CsvProblems, PersonRecord, read_people_csv

__all__ = [
    "Candidate",
    "CsvError",
    "CsvProblems",
    "FieldExplanation",
    "MatchIndex",
    "MatchModel",
    "PersonRecord",
    "default_model",
    "read_people_csv",
]
