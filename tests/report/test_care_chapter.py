"""The impact chapter's words say what its numbers count (units, sessions, where the patients
live), in English and Dutch."""

from __future__ import annotations

import re

import pytest

import patientflow
from patientflow.report.care_chapter import assumptions
from patientflow.report.care_words import WORDS
from patientflow.report.chapter_words import chapter_words
from patientflow.report.labels import labels_of


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_operating_sessions_are_named_with_their_length(lang):
    """The sessions a week are volume x minutes / care.session_minutes (480: a whole day); the
    Dutch chapter called them OK-dagdelen (half days), twice as many as it counted."""
    cfg = patientflow.compose(["sim=care", "care.session_minutes=480"])
    lines = assumptions(cfg, labels_of(lang))
    assert any("480" in line and "care.session_minutes" in line for line in lines)
    dutch = " ".join(nl for _, nl in WORDS.values())
    assert "dagde" not in dutch.lower()


@pytest.mark.parametrize("lang, one_way", [("en", r"one.way"), ("nl", r"enkele reis")])
def test_the_patients_headline_says_its_minutes_are_one_way(lang, one_way):
    """Extra minutes per pathway are one-way car minutes summed over the visits (the table
    says so); the headline called them the pathway's travel ("reistijd per zorgpad"), which a
    reader doubles for the way home."""
    say = chapter_words(WORDS, labels_of(lang))
    text = say("patients_headline", moved=10, extra=1.7, p90=51, threshold=60, far_now=1, far_new=2)
    assert len(re.findall(one_way, text)) == 2


@pytest.mark.slow
def test_a_regional_chapter_says_its_hospitals_volumes_are_the_regions_patients(tmp_path):
    """In a run of one region every hospital's volume is its patients from that region: the
    Limburg run counted 650 surgeons needed for 1,069 patients (teams of 2 and rotas of 6 at
    the 61 hospitals that receive a fraction of one), and called its study area national."""
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=limburg",
            "network=current",
            "demand=municipality",
            "sim.days=0",
            "report.figures=false",
        ]
    )
    text = patientflow.run(cfg, tmp_path / "run").paths["care_impact_chapter"].read_text("utf-8")
    assert "The study area is one region" in text and "(region=nl)" in text
    assert "nationally" not in text


def test_a_hospital_without_a_regional_function_today_is_not_drawn_as_keeping_it(
    tmp_path, monkeypatch
):
    """The providers figure drew every hospital that does not lose the function in the grey of
    "keeps it", the 2025 run's largest gainer (no 24/7 SEH today, so no function) among them."""
    import pandas as pd
    from matplotlib.colors import to_hex

    from patientflow.report import impact_figures

    hosp = pd.DataFrame(
        {
            "name": ["loses", "keeps", "none"],
            "value_eur_current": [2e6, 1e6, 1e6],
            "value_eur_new": [0.5e6, 1.5e6, 3e6],
            "loses_regional_function": [True, False, False],
            "regional_function_current": [True, True, False],
        }
    )
    drawn = {}
    monkeypatch.setattr(impact_figures, "save_figure", lambda fig, out, dpi: drawn.update(f=fig))
    impact_figures.providers_figure(hosp, tmp_path / "p.png", "x")
    ax = drawn["f"].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    colour = {n: to_hex(b.get_facecolor()) for n, b in zip(labels, ax.patches, strict=False)}
    legend = {
        to_hex(h.get_facecolor()): t.get_text()
        for h, t in zip(ax.get_legend().legend_handles, ax.get_legend().get_texts(), strict=True)
    }
    assert legend[colour["keeps"]] == "keeps it"
    assert legend[colour["none"]] != "keeps it"
    assert legend[colour["loses"]].startswith("loses")
