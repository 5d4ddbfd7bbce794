#!/usr/bin/env bash
# The FHIR R4 model that tests/fhir_export.rs validates bundles with: the Python package
# fhir.resources 6.1.0, the last release whose models are FHIR R4 (4.0.1): 6.2 to 6.5 are
# R4B (4.3.0), 7 and later R5. It needs pydantic 1 (it does not pin it; pydantic 2 breaks
# its import), so both are pinned. In a venv of its own, at $FHIR_VENV (default:
# target/fhir-venv in the repository), so nothing goes into the system's Python. Needs
# python3 with venv and pip (Debian: python3-venv python3-pip). Quick when already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${FHIR_VENV:-target/fhir-venv}"
if "$venv/bin/python" -c 'import sys, fhir.resources as f; sys.exit(f.__fhir_version__ != "4.0.1")' 2>/dev/null; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  'fhir.resources==6.1.0' 'pydantic[email]==1.10.27'
"$venv/bin/python" -c 'import fhir.resources as f; print("fhir.resources", f.__version__, "FHIR", f.__fhir_version__)'
