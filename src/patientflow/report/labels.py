"""The words of figures and reports in English and Dutch (`report.lang`, `patientflow-report
--lang`): one table of labels, each key with both languages, so a label is never missing in one
of them (tests/report/test_labels.py checks every key and placeholder)."""

from __future__ import annotations

from dataclasses import dataclass

from patientflow.report.sweep_words import SWEEP_TEXT

LANGUAGES = ("en", "nl")

# key: (English, Nederlands); {name} placeholders are filled by Labels.__call__. The words of
# the figures and of more than one part of the report; the sweep report's own are in
# sweep_words.py, joined below (tests/report/test_labels.py: no key in both).
SHARED_TEXT: dict[str, tuple[str, str]] = {
    # indicators
    "a1_share_on_scene_15min": (
        "A1 ambulance on scene within 15 min",
        "A1-ambulance binnen 15 min ter plaatse",
    ),
    "a2_share_on_scene_30min": (
        "A2 ambulance on scene within 30 min",
        "A2-ambulance binnen 30 min ter plaatse",
    ),
    "share_seh_triage_10min": ("SEH triage within 10 min", "SEH-triage binnen 10 min"),
    "share_urgent_answered_30s": (
        "urgent calls answered within 30 s",
        "spoedoproepen binnen 30 s beantwoord",
    ),
    "a1_a2_share_at_seh_within_norm": (
        "A1/A2 at an SEH within {norm_text} min of the call",
        "A1/A2 binnen {norm_text} min na de melding op een SEH",
    ),
    "seh_los_min_p90": ("SEH length of stay, p90", "verblijfsduur SEH, p90"),
    "share_beyond_norm": ("share beyond the norm", "aandeel buiten de norm"),
    "population_beyond_norm": ("inhabitants beyond the norm", "inwoners buiten de norm"),
    # units and readings
    "minutes": ("minutes", "minuten"),
    "min": ("min", "min"),
    "pt": ("pt", "pp"),
    "percent": ("%", "%"),
    "diff_pp": ("difference, percentage points", "verschil, procentpunt"),
    "diff_min": ("difference, minutes", "verschil, minuten"),
    "diff": ("difference", "verschil"),
    "better": ("better", "beter"),
    "worse": ("worse", "slechter"),
    "no_change": ("no detectable change", "geen aantoonbare verandering"),
    "no_change_exact": (
        "no change (the same in every replication)",
        "geen verandering (gelijk in elke replicatie)",
    ),
    "one_replication": ("one replication: no interval", "één replicatie: geen interval"),
    "baseline": ("baseline", "referentie"),
    "not_paired": (
        "no paired difference: not paired with the baseline",
        "geen gepaard verschil: niet gepaard met de referentie",
    ),
    "none": ("none", "geen"),
    # first page columns
    "col_scenario": ("scenario", "scenario"),
    "col_indicator": ("indicator", "indicator"),
    "col_value": ("value", "waarde"),
    "col_against": ("against the baseline", "t.o.v. de referentie"),
    "col_reading": ("reading", "lezing"),
    # sweep figures
    "indicators_against": ("indicators against {param}", "indicatoren naar {param}"),
    "forest_title_single": (
        "difference to the baseline ({base}) from one replication each: no interval, so no "
        "reading of better or worse",
        "verschil met de referentie ({base}) uit één replicatie per scenario: geen interval, "
        "dus geen oordeel beter of slechter",
    ),
    "forest_title_some_single": (
        " (a dot without a bar: one replication, no interval)",
        " (een punt zonder balk: één replicatie, geen interval)",
    ),
    "forest_title": (
        "difference to the baseline ({base}), mean and 95 % interval, paired over common "
        "replications",
        "verschil met de referentie ({base}), gemiddelde en 95%-interval, gepaard over "
        "gemeenschappelijke replicaties",
    ),
    "difference_map_title": (
        "{name}\nagainst {base}: minutes to a 24/7 SEH by ambulance\n{further} municipalities "
        "further, at most {worst:+.1f} min (changes under {shown:g} min drawn as none)",
        "{name}\nt.o.v. {base}: ambulanceminuten naar een 24/7-SEH\n{further} gemeenten verder, "
        "hoogstens {worst:+.1f} min (veranderingen onder {shown:g} min als geen getekend)",
    ),
    "difference_map_scale": (
        "change in ambulance minutes from call to the nearest 24/7 SEH",
        "verandering in ambulanceminuten van melding tot de dichtstbijzijnde 24/7-SEH",
    ),
    # accessibility figures
    "map_title": (
        "Ambulance minutes from call to nearest 24/7 SEH\n{label}",
        "Ambulanceminuten van melding tot dichtstbijzijnde 24/7-SEH\n{label}",
    ),
    "map_scale": (
        "minutes from call to the nearest 24/7 SEH by ambulance (norm {norm:g})",
        "minuten van melding tot de dichtstbijzijnde 24/7-SEH per ambulance (norm {norm:g})",
    ),
    "seh_24_7": ("SEH open 24/7", "SEH 24/7 open"),
    "seh_limited": ("SEH, limited hours", "SEH, beperkte openingstijden"),
    "seh_closed": ("SEH closed in this network", "SEH gesloten in dit netwerk"),
    "cdf_ambulance_seh": ("ambulance: call to 24/7 SEH", "ambulance: melding tot 24/7-SEH"),
    "cdf_car_seh": ("car: nearest 24/7 SEH", "auto: dichtstbijzijnde 24/7-SEH"),
    "cdf_car_hospital": ("car: nearest hospital", "auto: dichtstbijzijnd ziekenhuis"),
    "cdf_car_gp": ("car: nearest GP post", "auto: dichtstbijzijnde huisartsenpost"),
    "beyond_norm": ("beyond the {norm:g}-minute norm", "buiten de {norm:g}-minutennorm"),
    "network": ("network {name}", "netwerk {name}"),
    "scenario": ("scenario {name}", "scenario {name}"),
    "cdf_title": ("Travel time, population share\n{label}", "Reistijd, aandeel bevolking\n{label}"),
    "cdf_reached": ("population reached (%)", "bevolking bereikt (%)"),
    "cdf_reached_title": (
        "population reached within t minutes",
        "bevolking bereikt binnen t minuten",
    ),
    "cdf_tail": ("inhabitants beyond t minutes", "inwoners buiten t minuten"),
    "cdf_tail_title": (
        "the tail: inhabitants not reached (log scale)",
        "de staart: inwoners niet bereikt (logschaal)",
    ),
    "stat_mean": ("mean", "gemiddelde"),
    "norm_line": ("{norm:g}-minute norm", "{norm:g}-minutennorm"),
    "norm_share": ("norm {share:.0%}", "norm {share:.0%}"),
    "mode_car": ("car", "auto"),
    "mode_ambulance": ("ambulance", "ambulance"),
    # acute figures
    "week_title": (
        "Facilities by hour of the week\n{label}",
        "Voorzieningen per uur van de week\n{label}",
    ),
    "week_first_replication": (
        "the first of {n} replications (the others keep no time series)",
        "de eerste van {n} replicaties (de andere bewaren geen tijdreeks)",
    ),
    "norms_title": ("Norms met per ROAZ region\n{label}", "Normen gehaald per ROAZ-regio\n{label}"),
    "capacity_in_use": ("capacity in use (%)", "capaciteit in gebruik (%)"),
    "patients_waiting": ("patients waiting (mean)", "wachtende patiënten (gemiddeld)"),
    "hour_of_week": (
        "hour of the week (mean over {days:.3g} measured days; hours not measured, such as "
        "the warm-up, are blank)",
        "uur van de week (gemiddelde over {days:.3g} gemeten dagen; niet gemeten uren, zoals de "
        "inloopperiode, blijven leeg)",
    ),
    "pct_patients": ("% of patients", "% van de patiënten"),
    "norms_replications": (
        "mean of {n} replications with its 95 % interval",
        "gemiddelde van {n} replicaties met 95%-interval",
    ),
    "facility_seh": ("SEH treatment bays", "SEH-behandelplekken"),
    "facility_ambulance": ("ambulances", "ambulances"),
    "facility_gp_desk": ("GP-post phone desks", "telefoonplekken huisartsenpost"),
    "facility_gp_doctor": ("GP-post doctors", "artsen huisartsenpost"),
    "facility_gp_visit": ("GP-post visiting doctors", "visiterende artsen huisartsenpost"),
    "weekdays": ("Mon Tue Wed Thu Fri Sat Sun", "ma di wo do vr za zo"),
    # care figures
    "providers_title": (
        "Complex care providers: today vs {network}",
        "Aanbieders complexe zorg: nu vs {network}",
    ),
    "providers_panel": (
        "{name}\n{today} -> {new} providers",
        "{name}\n{today} -> {new} aanbieders",
    ),
    "provider_today": ("provider today (size: volume)", "aanbieder nu (grootte: volume)"),
    "provider_in": ("provider in {network}", "aanbieder in {network}"),
    "volume_moved": (
        "where the patients of a provider that stops go (flows of 10 % of them or more; width: "
        "number)",
        "waar de patiënten van een aanbieder die stopt heen gaan (stromen van 10% of meer; "
        "breedte: aantal)",
    ),
    "to_nearest": (
        "a provider that stops to the nearest remaining one",
        "een aanbieder die stopt naar de dichtstbijzijnde die blijft",
    ),
    "today": ("today", "nu"),
    "national_rule": ("{network} (national rule)", "{network} (landelijke regel)"),
    "network_rule": (
        "{network} (its cancer network's own rule)",
        "{network} (eigen regel van het oncologienetwerk)",
    ),
    "norm_value": (" norm {norm:g}", " norm {norm:g}"),
    "norm_value_group": (
        " norm {norm:g} for {group} together",
        " norm {norm:g} voor {group} samen",
    ),
    "norm_line_note": (
        " (norm line: the national rule's; own rules may set another)",
        " (normlijn: die van de landelijke regel; eigen regels kunnen een andere stellen)",
    ),
    "providers_largest_first": ("providers, largest first", "aanbieders, grootste eerst"),
    "operations_per_year": ("operations per year", "operaties per jaar"),
    "volume_title": (
        "Volume per provider against the norm: today vs {network}{note}",
        "Volume per aanbieder t.o.v. de norm: nu vs {network}{note}",
    ),
    "extra_travel_x": (
        "extra car minutes to the hospital of surgery (one way)",
        "extra autominuten naar het ziekenhuis van de operatie (enkele reis)",
    ),
    "extra_travel_y": (
        "patients with more extra travel than that (%)",
        "patiënten met meer extra reistijd dan dat (%)",
    ),
    "nobody_further": ("nobody travels further", "niemand reist verder"),
    "extra_travel_title": (
        "Extra travel per patient: {network} vs today",
        "Extra reistijd per patiënt: {network} vs nu",
    ),
    "patients_fig_scale": (
        "extra minutes per pathway\n(one way, all visits)",
        "extra minuten per zorgpad\n(enkele reis, alle bezoeken)",
    ),
    "study_area_row": ("study area ({codes})", "studiegebied ({codes})"),
    # a regional care run's figures count its own patients only
    "regional_scope": (" (patients of {codes} only)", " (alleen de patiënten van {codes})"),
    "patients_fig_title": (
        "Patients: mean extra travel per pathway, {network} vs today",
        "Patiënten: gemiddelde extra reistijd per zorgpad, {network} vs nu",
    ),
    "professionals_title": (
        "Professionals: surgeons needed, {network} vs today",
        "Professionals: benodigde chirurgen, {network} vs nu",
    ),
    "providers_value_title": (
        "Providers: production value, {network} vs today",
        "Aanbieders: productiewaarde, {network} vs nu",
    ),
    "loses_function": (
        "loses its regional function for complex care",
        "verliest zijn regiofunctie voor complexe zorg",
    ),
    "keeps_function": ("keeps it", "behoudt die"),
    "no_function_today": ("has none today", "heeft die nu niet"),
    "no_vascular_network": (
        "no vascular network with patients in the study area",
        "geen vaatnetwerk met patiënten in het studiegebied",
    ),
    "networks_title": (
        "Networks: vascular networks against the quality standard",
        "Netwerken: vaatnetwerken t.o.v. de kwaliteitsstandaard",
    ),
    "surgeons_change": (
        "change in surgeons needed\n(teams for the volume, at least a 24/7 rota)",
        "verandering benodigde chirurgen\n(teams voor het volume, minstens een 24/7-rooster)",
    ),
    "production_change": (
        "change in production value, complex and spread care\n(million euro a year, assumed "
        "tariffs)",
        "verandering productiewaarde, complexe en gespreide zorg\n(miljoen euro per jaar, "
        "aangenomen tarieven)",
    ),
    "oncology": ("oncology", "oncologie"),
    "vascular": ("vascular", "vaatchirurgie"),
    "crit_network_volume": ("network volume", "volume van het netwerk"),
    "crit_repair_centres": ("repair centres", "centra voor herstel"),
    "crit_rota_surgeons_supported": ("24/7 rota surgeons", "chirurgen 24/7-rooster"),
    "crit_interventional_radiology_centres": (
        "interventional radiology",
        "interventieradiologie",
    ),
    "crit_share_within_max_minutes": ("within max. minutes", "binnen max. minuten"),
    "regiobeeld_map_title": (
        "{title}: minutes from call to the nearest 24/7 SEH",
        "{title}: minuten van melding tot de dichtstbijzijnde 24/7-SEH",
    ),
}

TEXT: dict[str, tuple[str, str]] = {**SHARED_TEXT, **SWEEP_TEXT}


@dataclass(frozen=True)
class Labels:
    """The labels of one language; `tr("key", name=...)` gives the filled-in text. Labels
    that name the SEH norm take it from `norm_text` (the runs' `report.norm_min`, "45"; "30 /
    45" for a sweep over both) unless the call gives it."""

    lang: str = "en"
    norm_text: str = "45"
    # added to every figure title (a key ending in "_title"): a regional run's scope
    title_suffix: str = ""

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}: use one of {', '.join(LANGUAGES)}")

    def __call__(self, key: str, **values: object) -> str:
        """The label `key` in this language, placeholders filled."""
        text = TEXT[key][LANGUAGES.index(self.lang)]
        if "{norm_text}" in text:
            values = {"norm_text": self.norm_text, **values}
        text = text.format(**values) if values else text
        return text + self.title_suffix if key.endswith("_title") else text

    def name(self, key: str) -> str:
        """An indicator's or table's name: its label where one exists, else the key in words."""
        return self(key) if key in TEXT else key.replace("_", " ")


EN = Labels("en")


def labels_of(lang: object, norm_min: float = 45.0) -> Labels:
    """The labels of a language given as "nl", "en" or the config's ReportLanguage, for runs
    measured against the SEH norm `norm_min`."""
    return Labels(str(getattr(lang, "value", lang)), f"{float(norm_min):g}")
