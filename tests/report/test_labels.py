"""report.lang: every label exists in English and Dutch with the same placeholders."""

from __future__ import annotations

import string

import pytest

from patientflow.report.labels import LANGUAGES, TEXT, Labels


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_each_label_has_both_languages_with_the_same_placeholders(key):
    en, nl = TEXT[key]
    assert en.strip() and nl.strip()
    assert _fields(en) == _fields(nl)


def test_no_key_is_both_a_shared_word_and_a_sweep_report_word():
    """labels.TEXT joins the two tables; a key in both would lose one of them unseen."""
    from patientflow.report.labels import SHARED_TEXT
    from patientflow.report.sweep_words import SWEEP_TEXT

    assert not set(SHARED_TEXT) & set(SWEEP_TEXT)
    assert len(TEXT) == len(SHARED_TEXT) + len(SWEEP_TEXT)


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        Labels("de")
    assert LANGUAGES == ("en", "nl")


def test_labels_fill_their_placeholders():
    assert Labels("nl")("beyond_norm", norm=45.0) == "buiten de 45-minutennorm"
    assert Labels("en").name("not_a_label_key") == "not a label key"


def test_the_norm_in_a_label_is_the_runs_norm():
    """A run measured against 30 minutes must not be labelled '45 min'."""
    from patientflow.report.labels import labels_of

    assert "within 30 min" in labels_of("en", 30.0)("a1_a2_share_at_seh_within_norm")
    assert "binnen 30 min" in labels_of("nl", 30.0).name("a1_a2_share_at_seh_within_norm")
    assert "within 45 min" in labels_of("en")("a1_a2_share_at_seh_within_norm")
