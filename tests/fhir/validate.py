"""Validates a FHIR R4 Bundle (JSON, a file named on the command line) with the R4 models
of the Python package fhir.resources 6.1.0 (FHIR 4.0.1; tests/fhir/install.sh installs
it): the Bundle itself, then each entry's resource with the model class of its
resourceType. Prints what was checked; exits 1 with the error when anything fails."""

import json
import sys

import fhir.resources
from fhir.resources import get_fhir_model_class


def main(path):
    if fhir.resources.__fhir_version__ != "4.0.1":
        sys.exit(f"fhir.resources {fhir.resources.__version__} models FHIR "
                 f"{fhir.resources.__fhir_version__}, not R4 4.0.1: run tests/fhir/install.sh")
    with open(path, encoding="utf-8") as f:
        bundle = json.load(f)
    if bundle.get("resourceType") != "Bundle":
        sys.exit(f"not a Bundle: resourceType {bundle.get('resourceType')!r}")
    try:
        get_fhir_model_class("Bundle").parse_obj(bundle)
    except Exception as e:  # pydantic's ValidationError names the field
        sys.exit(f"Bundle: {e}")
    counts = {}
    for i, entry in enumerate(bundle.get("entry", [])):
        resource = entry.get("resource", {})
        kind = resource.get("resourceType")
        try:
            get_fhir_model_class(kind).parse_obj(resource)
        except Exception as e:
            sys.exit(f"entry {i} ({kind} {resource.get('id')}): {e}")
        counts[kind] = counts.get(kind, 0) + 1
    print("valid FHIR R4 Bundle:", ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main(sys.argv[1])
