"""What the job chapters share to speak English or Dutch (`report.lang`): their words by key
from a chapter's own table, the Dutch names of the default interventions, and the template of
the language."""

from __future__ import annotations

from collections.abc import Callable

from patientflow.report.labels import LANGUAGES, Labels

# The Dutch names of the default interventions (conf/care/tranche1.yaml); another keeps its key.
INTERVENTIONS_NL = {
    "pancreas_resection": "pancreasresectie",
    "oesophagus_resection": "oesofagusresectie",
    "stomach_resection": "maagresectie",
    "lung_resection": "longresectie",
    "head_neck_surgery": "hoofd-halschirurgie",
    "aaa_repair": "AAA-behandeling",
    "carotid_endarterectomy": "carotisendarteriëctomie",
    "partial_nephrectomy": "partiële nefrectomie",
}


def chapter_words(table: dict[str, tuple[str, str]], tr: Labels) -> Callable[..., str]:
    """`say(key, **values)`: the words of `table` in the language of `tr`, placeholders filled;
    a key not in the table (an identifier of the run) is shown as it is."""
    column = LANGUAGES.index(tr.lang)

    def say(key: str, **values: object) -> str:
        text = table[key][column] if key in table else key
        return text.format(**values) if values else text

    return say


def intervention_name(key: str, tr: Labels, english: str | None = None) -> str:
    """An intervention as a chapter names it: its Dutch name, or in English `english` (by
    default the key with spaces), which an intervention without a Dutch name keeps."""
    shown = key.replace("_", " ") if english is None else english
    return (shown, INTERVENTIONS_NL.get(key, shown))[LANGUAGES.index(tr.lang)]


def template_name(stem: str, tr: Labels) -> str:
    """The chapter's template in the language of `tr`: STEM.md.j2 in English, STEM.nl.md.j2."""
    return f"{stem}.md.j2" if tr.lang == "en" else f"{stem}.{tr.lang}.md.j2"
