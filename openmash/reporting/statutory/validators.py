"""Checking the exports against the external standards: the CIN census XSD (lxml), DfE's
rule checker csc-validator-be-cin (run in its own virtual environment, made by
`make cin-validator`) and Ofsted's Annex A column map (Annex_A_schema.yml).
Used by the tests and by anyone checking a file by hand (docs/exports.md)."""

import io
import json
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from lxml import etree
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[3]
STANDARDS = Path(__file__).resolve().parent / "standards"  # see standards/README.md
VALIDATOR_PYTHON = REPO / ".cache" / "cin-validator" / "bin" / "python"
VALIDATOR_STAMP = REPO / ".cache" / "cin-validator" / ".installed"

# The checker's `run` command prints only the child-level issues; this asks the same
# CinValidator for those and for the return-level ("LA") ones, as JSON.
_REPORT = """
import importlib, json, sys
import xml.etree.ElementTree as ET
from cin_validator import cin_validator
root = ET.parse(sys.argv[1]).getroot()
data = cin_validator.process_data(cin_validator.convert_data(root))
registry = importlib.import_module("cin_validator.rules." + sys.argv[2]).registry
v = cin_validator.CinValidator(data, registry)
types = {r.code: r.rule_type.name for r in registry.values()}
issues = v.full_issue_df
print(json.dumps({
    "child": [
        {"code": str(r["rule_code"]), "message": str(r["rule_description"]),
         "child_id": str(r.get("child_id", "")), "type": types.get(r["rule_code"], "")}
        for _, r in issues.iterrows()
    ],
    "return": [
        {"code": str(r["rule_code"]), "message": str(r["rule_description"]),
         "type": types.get(r["rule_code"], "")}
        for _, r in v.multichild_issues.iterrows()
    ],
}))
"""


def xsd_errors(xml: bytes, year: int) -> list[str]:
    """Schema errors of a census file ([] when valid)."""
    schema = etree.XMLSchema(etree.parse(str(STANDARDS / f"CIN_schema_{year}.xsd")))
    document = etree.fromstring(xml)
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@dataclass(frozen=True)
class CinReport:
    errors: list[dict[str, str]]  # rule type ERROR
    queries: list[dict[str, str]]  # rule type QUERY: to check or explain, not to fix
    cli_output: str  # what `python -m cin_validator run` printed


class CinValidatorMissing(RuntimeError):
    """The checker's virtualenv has not been built (or its build did not finish)."""


def cin_validator_ensure() -> Path:
    """The checker's Python. Never builds the virtualenv here (a pip install of several
    minutes has no place inside a test run or a request): `make cin-validator` does."""
    if not (VALIDATOR_PYTHON.exists() and VALIDATOR_STAMP.exists()):
        raise CinValidatorMissing(
            f"DfE's CIN validator is not installed in {VALIDATOR_PYTHON.parents[1]}: "
            "run `make cin-validator` (make test-sqlite and make test-postgres do)"
        )
    return VALIDATOR_PYTHON


def cin_validator_run(xml_path: Path, ruleset: str = "cin2024_25") -> CinReport:
    """Run DfE's rules on a census file. The command exits 0 whatever it finds, so its
    printed table is kept and the issues are read through its own API as JSON."""
    python = str(cin_validator_ensure())
    with tempfile.TemporaryDirectory() as work:
        cli = subprocess.run(
            [python, "-m", "cin_validator", "run", str(xml_path), "-r", ruleset],
            capture_output=True,
            text=True,
            cwd=work,
            timeout=600,
            check=True,
        )
        found = subprocess.run(
            [python, "-c", _REPORT, str(xml_path), ruleset],
            capture_output=True,
            text=True,
            cwd=work,
            timeout=600,
            check=True,
        )
    report: dict[str, list[dict[str, str]]] = json.loads(found.stdout.strip().splitlines()[-1])
    issues = report["child"] + report["return"]
    return CinReport(
        errors=[i for i in issues if i["type"] != "QUERY"],
        queries=[i for i in issues if i["type"] == "QUERY"],
        cli_output=cli.stdout,
    )


def annex_a_problems(workbook_bytes: bytes) -> list[str]:
    """Check lists 1 and 3 against Ofsted's column map: exact headers, allowed values, dates
    dd/mm/yyyy, whole numbers, nothing blank that may not be."""

    spec: dict[str, Any] = yaml.safe_load((STANDARDS / "Annex_A_schema.yml").read_text())
    workbook = load_workbook(io.BytesIO(workbook_bytes), read_only=True)
    problems: list[str] = []
    for sheet_name, key in (("List 1", "list_1"), ("List 3", "list_3")):
        columns: dict[str, Any] = spec["column_map"][key]
        if sheet_name not in workbook.sheetnames:
            problems.append(f"no sheet {sheet_name!r}")
            continue
        rows = list(workbook[sheet_name].iter_rows(values_only=True))
        if not rows or list(rows[0]) != list(columns):
            problems.append(f"{sheet_name}: headers {rows[0] if rows else None}")
            continue
        for number, row in enumerate(rows[1:], start=2):
            for header, value in zip(columns, row, strict=True):
                problem = _cell_problem(columns[header], value)
                if problem:
                    problems.append(f"{sheet_name} row {number} {header!r}: {problem}")
    return problems


def _cell_problem(column: dict[str, Any], value: object) -> str:
    if value is None or value == "":
        return "" if column.get("canbeblank", True) else "blank"
    if "category" in column:
        allowed = set()
        for category in column["category"]:
            allowed.add(category["code"])
            allowed.update(category.get("name", []))
        return "" if value in allowed else f"{value!r} is not an allowed value"
    if "date" in column:
        try:
            datetime.strptime(str(value), column["date"])
        except ValueError:
            return f"{value!r} is not a date as {column['date']}"
        return ""
    minimum = column.get("numeric", {}).get("min_value", 0)
    if "numeric" in column and (not isinstance(value, int) or value < minimum):
        return f"{value!r} is not a whole number"
    return ""
