"""What the prose documentation names exists: every dotted name of the package's modules or of
the configuration in the pages below is a module, a class or function of the package, or a key
of the composed configuration; the random streams of docs/architecture.md are those the code
draws from; the dataset's table count is the schema's. A renamed or moved function, a dropped
key or a new stream fails here instead of leaving the page describing older code."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import fields

import pytest
from omegaconf import OmegaConf

import patientflow
from patientflow.config.care import CareRule
from patientflow.config.schema import RunConfig
from patientflow.data.schema import TABLES
from tests.conftest import REPO

PAGES = (
    "README.md",
    "docs/architecture.md",
    "docs/acute-model.md",
    "docs/complex-care.md",
    "docs/reliability.md",
    "docs/studies.md",
    "docs/travel-model.md",
    "docs/stress_des.md",
    "src/patientflow/data/README.md",
)
# Names in the pages that are neither code nor configuration on purpose: the README's example
# of a typo, and attributes of the ServiceNetwork object that share the `network` group's name.
NOT_NAMES = {"network.closed_stes", "network.providers", "network.emergency_departments"}
FILE_ENDINGS = (".html", ".md", ".csv", ".parquet", ".png", ".yaml", ".json", ".j2", ".py")
MODULES = {m.name for m in pkgutil.iter_modules(patientflow.__path__)}
GROUPS = {f.name for f in fields(RunConfig)}
_MISSING = object()


@pytest.fixture(scope="module")
def config():
    return patientflow.compose([])


def dotted_names(text: str) -> set[str]:
    """`a.b.c` names whose first part is a module of the package or a configuration group."""
    found = set()
    for name in re.findall(r"(?<![\w./+\-])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)", text):
        name = name.removeprefix("patientflow.")
        if name.endswith(FILE_ENDINGS) or name in NOT_NAMES:
            continue
        if name.split(".")[0] in MODULES | GROUPS:
            found.add(name)
    return found


def is_code(name: str) -> bool:
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("patientflow." + ".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:]:
            if not hasattr(obj, part):
                return False
            obj = getattr(obj, part)
        return True
    return False


def is_key(config, name: str) -> bool:
    if ".X." in name:  # a placeholder for any intervention (docs/complex-care.md)
        return is_key(config, name.replace(".X.", ".pancreas_resection.", 1)) or (
            name.startswith("network.care.")
            and name.split(".X.")[1] in {f.name for f in fields(CareRule)}
        )
    return OmegaConf.select(config, name, default=_MISSING) is not _MISSING


@pytest.mark.parametrize("page", PAGES)
def test_every_dotted_name_is_code_or_a_key(config, page):
    text = (REPO / page).read_text(encoding="utf-8")
    unknown = sorted(n for n in dotted_names(text) if not (is_code(n) or is_key(config, n)))
    assert not unknown, f"{page} names what is neither code nor a configuration key: {unknown}"


def test_the_flow_counts_the_datasets_tables():
    text = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    assert f"Dataset ({len(TABLES)} checked tables)" in text


def test_the_streams_table_names_every_stream_the_code_draws_from():
    """Each literal part of a `.rng(...)` call in the package is quoted in its job's row of
    the Randomness table (the parts made at run time, such as a channel, are not checked)."""
    text = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (acute|care) \| (.*) \|$", text, flags=re.M))
    missing = []
    for path in (REPO / "src/patientflow").rglob("*.py"):
        if path.name == "streams.py":  # its docstring's example, not a stream
            continue
        for call in re.findall(r"\.rng\(([^)]*)\)", path.read_text(encoding="utf-8")):
            literals = re.findall(r'"(\w+)"', call)
            if not literals or literals[0] not in rows:
                continue
            missing += [
                f"{path.name}: {lit}" for lit in literals if f'"{lit}"' not in rows[literals[0]]
            ]
    assert not missing, missing


def test_the_acute_page_quotes_validations_current_transport_to_the_seh():
    """docs/acute-model.md quotes the mean transport scene -> SEH of the national week that
    docs/validation.md reports now (it kept the 12.9 min of before issue 17's travel model
    after validation.md had moved to 13.5)."""
    validation = (REPO / "docs/validation.md").read_text(encoding="utf-8")
    row = re.search(
        r"^\| mean transport scene → SEH \(A1/A2 conveyed\) \| ([\d.]+) min", validation, re.M
    )
    assert row, "validation.md has no transport row"
    page = " ".join((REPO / "docs/acute-model.md").read_text(encoding="utf-8").split())
    quoted = re.search(r"the national week reads ([\d.]+) min \(docs/validation\.md\)", page)
    assert quoted and quoted.group(1) == row.group(1), (row.group(1), quoted)
