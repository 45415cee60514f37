"""CITATION.cff is valid Citation File Format 1.2.0 and names the version patientflow is at,
released on the date the changelog gives it; the README says how to cite. The schema ships in
tests/resources (nothing is downloaded)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml

from patientflow.version import __version__
from tests.conftest import REPO

jsonschema = pytest.importorskip(
    "jsonschema", reason="jsonschema not installed (pip install -e '.[test]' installs it)"
)


def as_strings(node):
    """YAML dates as the ISO strings the CFF schema expects (its own note to implementers)."""
    if isinstance(node, dict):
        return {k: as_strings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [as_strings(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


@pytest.fixture(scope="module")
def citation() -> dict:
    return as_strings(yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8")))


def test_citation_is_valid_cff_1_2_0(citation):
    schema = json.loads((REPO / "tests/resources/cff-1.2.0.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(citation), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert citation["cff-version"] == "1.2.0"


def test_an_invalid_citation_is_refused():
    """The check would catch a broken file: no authors, a date that is no date."""
    schema = json.loads((REPO / "tests/resources/cff-1.2.0.schema.json").read_text())
    bad = {"cff-version": "1.2.0", "message": "m", "title": "t", "date-released": "2026-13-02"}
    assert not jsonschema.Draft7Validator(schema).is_valid(bad)


def test_citation_version_and_date_follow_the_one_version_and_the_changelog(citation):
    assert str(citation["version"]) == __version__
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    found = re.search(
        rf"^## \[{re.escape(__version__)}\] - (\d{{4}}-\d{{2}}-\d{{2}})$", changelog, re.M
    )
    assert found, f"CHANGELOG.md has no entry for {__version__}"
    assert citation["date-released"] == found.group(1)
    assert citation["license"] == "MIT"


def test_the_readme_says_how_to_cite():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert "CITATION.cff" in section
    for key in ("patientflow_version", "commit", "data_checksums"):
        assert key in section
