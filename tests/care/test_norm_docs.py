"""The proposed norms docs/complex-care.md states are the ones conf/care/tranche1.yaml applies."""

from __future__ import annotations

import re
from pathlib import Path

import patientflow
from patientflow.config.checks import check_config

DOC = Path(__file__).parents[2] / "docs" / "complex-care.md"
# How the docs' norm sentence names each intervention with a proposed volume norm.
NAMES = {
    "lung": ["lung_resection"],
    "pancreas": ["pancreas_resection"],
    "oesophagus and stomach": ["oesophagus_resection", "stomach_resection"],
    "AAA": ["aaa_repair"],
    "partial nephrectomy": ["partial_nephrectomy"],
}


def test_the_documented_proposed_norms_are_the_configured_ones():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    sentence = text[text.index("`norm_proposed` (") :].split("). ")[0]
    ivs = check_config(patientflow.compose(["sim=care"])).care.interventions
    for words, names in NAMES.items():
        found = re.search(rf"{words} (\d+)", sentence)
        assert found, words
        for name in names:
            assert float(found.group(1)) == ivs[name].norm_proposed, (words, sentence)
