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


# How the docs' old-norm sentence names the interventions whose old norm is not the common one.
OLD_NAMES = {"partial nephrectomy": "partial_nephrectomy", "head-neck": "head_neck_surgery"}


def test_the_documented_old_norms_are_the_configured_ones():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    sentence = text[text.index("`norm_current` (") :].split(") and `norm_proposed`")[0]
    ivs = check_config(patientflow.compose(["sim=care"])).care.interventions
    common = re.search(r"the old norm: (\d+) where known or assumed", sentence)
    assert common, sentence
    for words, name in OLD_NAMES.items():
        found = re.search(rf"(\d+|none) for {words}", sentence)
        assert found, (words, sentence)
        assert float(found.group(1).replace("none", "0")) == ivs[name].norm_current, words
    others = {n: iv.norm_current for n, iv in ivs.items() if n not in OLD_NAMES.values()}
    assert set(others.values()) == {float(common.group(1))}, others
