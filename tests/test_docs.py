"""The documentation site builds offline in strict mode (a broken link, anchor or page fails the
build), every page of its navigation is there, the pages written once elsewhere are generated
from their sources, and the configuration reference lists every key of the schema, found here
by walking the dataclasses on its own."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import types
import typing
from dataclasses import fields, is_dataclass

import pytest

from patientflow.config.schema import RunConfig
from tests.conftest import REPO

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

pytest.importorskip("mkdocs", reason="mkdocs not installed (pip install -e '.[test]' installs it)")

PAGES = (
    "index",
    "architecture",
    "acute-model",
    "complex-care",
    "regiobeeld",
    "studies",
    "travel-model",
    "stress_des",
    "reliability",
    "validation",
    "performance",
    "configuration",
    "data",
    "licences",
    "changelog",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(REPO / "mkdocs.yml"),
            "--site-dir",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return out


def page(site, name: str) -> str:
    return (site / f"{name}.html").read_text(encoding="utf-8")


def schema_keys(cls: type, prefix: str = "") -> typing.Iterator[str]:
    """Every key of a structured config: `<name>` for a mapping's entry, `[i]` for an item."""
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        key = prefix + f.name
        yield key
        yield from below(hints[f.name], key)


def below(tp: object, key: str) -> typing.Iterator[str]:
    if isinstance(tp, type) and is_dataclass(tp):
        yield from schema_keys(tp, key + ".")
        return
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        yield from below(args[0], key + "[i]")
    elif origin is dict:
        yield from below(args[1], key + ".<name>")
    elif origin in (types.UnionType, typing.Union):
        for arg in args:
            yield from below(arg, key)


def test_every_page_is_built(site):
    for name in PAGES:
        assert (site / f"{name}.html").is_file(), name
    assert (site / "CITATION.cff").read_text() == (REPO / "CITATION.cff").read_text()


def test_the_configuration_reference_lists_every_key(site):
    text = page(site, "configuration")
    keys = list(schema_keys(RunConfig))
    assert len(keys) > 300
    missing = [k for k in keys if f"<code>{html.escape(k, quote=False)}</code>" not in text]
    assert not missing


def row(text: str, key: str) -> str:
    """The table row of one key in the reference's HTML."""
    found = re.search(rf"<tr>\s*<td><code>{re.escape(key)}</code></td>(.*?)</tr>", text, re.S)
    assert found, key
    return found.group(1)


def test_the_reference_gives_type_default_and_meaning(site):
    text = page(site, "configuration")
    stop = row(text, "facilities.seh.hospital_inpatients")
    assert "float" in stop and "16592.0" in stop and "16,592" in stop  # the field's comment
    volumes = row(text, "care.volumes_file")
    assert "str or null" in volumes and "per-hospital volumes" in volumes  # the docstring
    region = row(text, "region.name")
    assert "<code>nl</code>" in region and "default run: <code>midden</code>" in region
    fleet = row(text, "facilities.ambulance.fleet")
    assert "<code>public</code>" in fleet and "<code>occupancy</code>" in fleet  # the Enum


def test_every_key_of_the_reference_has_a_meaning(site):
    """Every key's row says what it means (a docstring sentence or a comment in the config
    code, or a comment in conf/): none is left blank."""
    text = page(site, "configuration")
    keys = {html.escape(k, quote=False) for k in schema_keys(RunConfig)}
    cells = r"<td>(?:<a [^>]*>)?<code>([^<]+)</code>(?:</a>)?</td>(.*?)</tr>"
    rows = [(k, rest) for k, rest in re.findall(cells, text, re.S) if k in keys]
    assert {k for k, _ in rows} == keys
    blank = [k for k, rest in rows if re.search(r"<td>\s*</td>\s*$", rest)]
    assert not blank, f"keys without a meaning: {blank}"


def test_pages_written_elsewhere_are_generated_not_copied(site):
    assert not any((REPO / "docs" / f"{name}.md").exists() for name in SOURCES_ELSEWHERE)
    data = page(site, "data")
    assert "municipalities.csv" in data and "Sources and licences" in data
    licences = page(site, "licences")
    assert "2026 the patientflow developers" in licences and "Bron: CBS, Kadaster" in licences
    assert "water_crossings.csv" in licences
    home = page(site, "index")
    assert 'href="complex-care.html"' in home and 'href="data.html"' in home
    assert 'href="licences.html#data"' in home


SOURCES_ELSEWHERE = ("index", "configuration", "data", "licences", "changelog")
