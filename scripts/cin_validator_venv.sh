#!/usr/bin/env bash
# Creates the virtual environment of DfE's CIN census rule checker (csc-validator-be-cin) in
# .cache/cin-validator, kept apart from .venv because it pins numpy<2 and an older pandas.
#
#     scripts/cin_validator_venv.sh          # idempotent: does nothing when the stamp is current
#
# Then: .cache/cin-validator/bin/python -m cin_validator run FILE.xml -r cin2024_25
# (it exits 0 even when it reports errors: read its report, see docs/exports.md).
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=.cache/cin-validator
# Everything the checker needs, pinned (it wants numpy<2 and pandas<2); changing this list
# re-creates the environment.
REQUIREMENTS="csc-validator-be-cin==0.1.13 numpy==1.26.4 pandas==1.5.3 pytest==9.2.0 \
click==8.5.1 click-log==0.4.0 govuk-bank-holidays==0.13 prpc-python==0.9.2 rich==13.9.4 \
testfixtures==7.2.2 python-dateutil==4.0.0 pytz==2026.6 requests==2.34.2"
STAMP=$VENV/.installed

if [[ -f $STAMP && "$(cat "$STAMP")" == "$REQUIREMENTS" ]]; then
    exit 0
fi
rm -rf "$VENV"
mkdir -p .cache
"$PYTHON" -m venv "$VENV"
# shellcheck disable=SC2086  # the requirements are separate words on purpose
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $REQUIREMENTS
echo "$REQUIREMENTS" >"$STAMP"
echo "CIN validator ready in $VENV"
