"""The complexity ratchet: no new function over ruff's mccabe limit, and the list only shrinks.

Runs ruff's C901 (the limit is `[tool.ruff.lint.mccabe] max-complexity` in pyproject.toml) over
the project with `--ignore-noqa`, so a `# noqa: C901` cannot hide a function: the only way past
the limit is a line in scripts/complexity_ratchet.txt. It fails when

  - a function over the limit is not on the list (simplify it; the list may not grow),
  - a listed function is more complex than the list records (it may not get worse),
  - a listed function is no longer over the limit, or no longer exists (delete its line).

Entries are keyed `<app>:<qualified name>` (e.g. `decisions:screening_record`,
`people:SyntheticPopulation.record`), not by file, so splitting an app's module into a package
keeps them matching. A listed function found in another app (moved between apps) still matches,
with a note asking to update the line.

It also reports, without failing, how many production functions are longer than 60 lines.

    .venv/bin/python scripts/complexity_ratchet.py           # run by `make lint` and pre-commit
    .venv/bin/python scripts/complexity_ratchet.py --long    # also list the long functions
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATCHET = ROOT / "scripts" / "complexity_ratchet.txt"
LONG_FUNCTION_LINES = 60
# Production code for the long-function count: the apps and settings, not tests or test tooling.
PRODUCTION_ROOTS = ("openmash", "config")
NOT_PRODUCTION = re.compile(r"(^|/)(tests|migrations|testing)/|(^|/)(test_[^/]*|conftest)\.py$")
COMPLEXITY = re.compile(r"is too complex \((\d+) > (\d+)\)")


@dataclass(frozen=True)
class Finding:
    key: str  # <app>:<qualified name>
    where: str  # path:line, for the message
    complexity: int


def app_of(path: Path) -> str:
    """The app a file belongs to: openmash/<app>/..., else the top-level folder."""
    parts = path.parts
    if parts[0] == "openmash" and len(parts) > 2:
        return parts[1]
    return parts[0] if len(parts) > 1 else path.stem


def qualified_names(source: str) -> dict[int, str]:
    """Map each function's `def` line to its dotted name within the module (Class.method, f.g)."""
    names: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    names[child.lineno] = name
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return names


def ruff_findings() -> list[Finding]:
    command = [sys.executable, "-m", "ruff", "check", "--select", "C901", "--ignore-noqa"]
    command += ["--output-format", "json", "--exit-zero", "--no-cache", "."]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"ruff failed:\n{result.stderr}")
    findings = []
    by_file: dict[Path, dict[int, str]] = {}
    for item in json.loads(result.stdout):
        path = Path(item["filename"]).resolve().relative_to(ROOT)
        if path not in by_file:
            by_file[path] = qualified_names((ROOT / path).read_text(encoding="utf-8"))
        row = item["location"]["row"]
        match = COMPLEXITY.search(item["message"])
        if match is None:
            sys.exit(f"unexpected ruff message: {item['message']}")
        name = by_file[path].get(row) or item["message"].split("`")[1]
        findings.append(Finding(f"{app_of(path)}:{name}", f"{path}:{row}", int(match.group(1))))
    return findings


def ratchet_entries() -> dict[str, int]:
    entries: dict[str, int] = {}
    for number, raw in enumerate(RATCHET.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            key, complexity = line.split()
            entries_complexity = int(complexity)
        except ValueError:
            sys.exit(f"{RATCHET.name}:{number}: expected '<app>:<function> <complexity>'")
        if key in entries:
            sys.exit(f"{RATCHET.name}:{number}: {key} is listed twice")
        entries[key] = entries_complexity
    return entries


def long_functions() -> list[tuple[str, int]]:
    found = []
    for root in PRODUCTION_ROOTS:
        for path in sorted((ROOT / root).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if NOT_PRODUCTION.search(relative):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > LONG_FUNCTION_LINES:
                        found.append((f"{relative}:{node.lineno} {node.name}", length))
    return sorted(found, key=lambda item: -item[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="list the functions over 60 lines")
    options = parser.parse_args()

    entries = ratchet_entries()
    unmatched = dict(entries)
    problems: list[str] = []
    notes: list[str] = []
    findings = ruff_findings()

    # Exact matches first, so a same-named function elsewhere cannot take a moved one's entry.
    pending = []
    for finding in findings:
        if finding.key in unmatched:
            listed = unmatched.pop(finding.key)
            check_listed(finding, finding.key, listed, problems, notes)
        else:
            pending.append(finding)
    for finding in pending:
        name = finding.key.split(":", 1)[1]
        moved = [key for key in unmatched if key.split(":", 1)[1] == name]
        if len(moved) == 1:
            listed = unmatched.pop(moved[0])
            notes.append(f"{finding.where}: listed as {moved[0]}; rename the line to {finding.key}")
            check_listed(finding, moved[0], listed, problems, notes)
        else:
            problems.append(
                f"{finding.where}: {finding.key} has complexity {finding.complexity}, over the "
                "limit; simplify it (the ratchet list may only shrink)"
            )
    for key in unmatched:
        problems.append(
            f"{RATCHET.name}: {key} is no longer over the limit (or is gone): delete its line"
        )

    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(problem)
    print(
        f"complexity ratchet: {len(findings)} function(s) over the limit, "
        f"{len(entries)} listed, {len(problems)} problem(s)"
    )
    long = long_functions()
    print(f"report only: {len(long)} production function(s) over {LONG_FUNCTION_LINES} lines")
    if options.long:
        for where, length in long:
            print(f"  {length:4d}  {where}")
    return 1 if problems else 0


def check_listed(
    finding: Finding, key: str, listed: int, problems: list[str], notes: list[str]
) -> None:
    if finding.complexity > listed:
        problems.append(
            f"{finding.where}: {key} grew from complexity {listed} to {finding.complexity}; "
            "the ratchet allows no growth"
        )
    elif finding.complexity < listed:
        notes.append(f"{finding.where}: {key} is down to {finding.complexity}; lower its line")


if __name__ == "__main__":
    sys.exit(main())
