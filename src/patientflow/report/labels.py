"""The words of figures and reports in English and Dutch (`report.lang`, `patientflow-report
--lang`): one table of labels, each key with both languages, so a label is never missing in one
of them (tests/report/test_labels.py checks every key and placeholder)."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "nl")

# key: (English, Nederlands); {name} placeholders are filled by Labels.__call__
TEXT: dict[str, tuple[str, str]] = {
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
        "A1/A2 at an SEH within 45 min of the call",
        "A1/A2 binnen 45 min na de melding op een SEH",
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
    "norm_line": ("{norm:g}-minute norm", "{norm:g}-minutennorm"),
    "norm_share": ("norm {share:.0%}", "norm {share:.0%}"),
    "mode_car": ("car", "auto"),
    "mode_ambulance": ("ambulance", "ambulance"),
    # acute figures
    "week_title": (
        "Facilities by hour of the week\n{label}",
        "Voorzieningen per uur van de week\n{label}",
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
        "volume moved from a provider that stops",
        "volume verplaatst van een aanbieder die stopt",
    ),
    "today": ("today", "nu"),
    "national_rule": ("{network} (national rule)", "{network} (landelijke regel)"),
    "network_rule": (
        "{network} (its cancer network's own rule)",
        "{network} (eigen regel van het oncologienetwerk)",
    ),
    "norm_value": (" norm {norm:g}", " norm {norm:g}"),
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
        "extra minutes per pathway (one way, all visits)",
        "extra minuten per zorgpad (enkele reis, alle bezoeken)",
    ),
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
        "change in complex-care production value\n(million euro a year, assumed tariffs)",
        "verandering productiewaarde complexe zorg\n(miljoen euro per jaar, aangenomen tarieven)",
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
    # the sweep report
    "report_title": ("Impact report", "Impactrapport"),
    "jobs_complete": ("{jobs} jobs, {complete} complete.", "{jobs} runs, {complete} voltooid."),
    "contents": ("Contents", "Inhoud"),
    "compared_jobs": ("{n} scenarios: {labels}; ", "{n} scenario's: {labels}; "),
    "compared_replications": (
        "{n} replications each: means with 95 % intervals. ",
        "elk {n} replicaties: gemiddelden met 95%-intervallen. ",
    ),
    "compared_single": ("one run each. ", "elk één run. "),
    "compared_against": (
        "Differences are against {base}, paired over common random numbers; 'better' or "
        "'worse' only where the 95 % interval of the difference excludes zero.",
        "Verschillen zijn t.o.v. {base}, gepaard over gemeenschappelijke toevalsgetallen; "
        "'beter' of 'slechter' alleen waar het 95%-interval van het verschil nul uitsluit.",
    ),
    "part_compared": ("What was compared", "Wat is vergeleken"),
    "part_access": ("Accessibility", "Bereikbaarheid"),
    "part_acute": ("Acute care", "Acute zorg"),
    "part_care": ("Complex care", "Complexe zorg"),
    "part_regiobeeld": ("Regiobeeld", "Regiobeeld"),
    "part_regions": ("By region", "Per regio"),
    "regions_intro": (
        "Per ROAZ region with simulated patients: each scenario's indicators in that region, "
        "the mean over its replications with a 95 % interval, and the region's inhabitants "
        "beyond the norm.",
        "Per ROAZ-regio met gesimuleerde patiënten: de indicatoren van elk scenario in die "
        "regio, het gemiddelde over de replicaties met een 95%-interval, en de inwoners van de "
        "regio buiten de norm.",
    ),
    "part_tables": ("All indicators and differences", "Alle indicatoren en verschillen"),
    "part_method": ("Method, data and checklist", "Methode, data en checklist"),
    "caption_forest": (
        "Paired differences against the baseline per scenario: the mean, with its 95 % interval "
        "where more than one replication ran",
        "Gepaarde verschillen t.o.v. de referentie per scenario: het gemiddelde, met 95%-interval "
        "waar meer dan één replicatie liep",
    ),
    "caption_indicators": (
        "Headline indicators against the swept values (means with 95 % intervals)",
        "Kernindicatoren naar de gevarieerde waarden (gemiddelden met 95%-intervallen)",
    ),
    "caption_difference_map": (
        "Scenario minus baseline per municipality: ambulance minutes to a 24/7 SEH",
        "Scenario min referentie per gemeente: ambulanceminuten naar een 24/7-SEH",
    ),
    "sec_beyond_per_region": (
        "Inhabitants beyond {norm} per ROAZ region, per scenario",
        "Inwoners buiten {norm} per ROAZ-regio, per scenario",
    ),
    "sec_hardest_hit": (
        "Who is hit hardest: municipalities whose ambulance minutes to a 24/7 SEH grow most "
        "(with their 65+ share)",
        "Wie het hardst geraakt wordt: gemeenten waarvan de ambulanceminuten naar een 24/7-SEH "
        "het meest groeien (met hun aandeel 65+)",
    ),
    "sec_load_shift": (
        "Load on neighbours: 24/7 SEHs whose ambulance catchment grows most",
        "Druk op de buren: 24/7-SEH's waarvan het ambulanceverzorgingsgebied het meest groeit",
    ),
    "sec_difference_maps": ("Difference maps", "Verschilkaarten"),
    "all_scenarios": ("every scenario", "elk scenario"),
    "access_unchanged": (
        "The same in every scenario: no scenario of this sweep changes the 24/7 emergency "
        "departments (SEHs) the norm is measured to.",
        "Gelijk in elk scenario: geen scenario van deze sweep verandert de 24/7-SEH's waartoe "
        "de norm gemeten wordt.",
    ),
    "access_row_per_scenario": (
        "A row per scenario, a column per ROAZ region (the regions' names are in "
        "regions_by_job.csv).",
        "Een rij per scenario, een kolom per ROAZ-regio (de namen van de regio's staan in "
        "regions_by_job.csv).",
    ),
    "col_region": ("region", "regio"),
    "col_norm": ("norm", "norm"),
    "col_short": ("short of the norm", "tekort op de norm"),
    "col_baseline_value": ("baseline", "referentie"),
    "col_name": ("name", "naam"),
    "col_municipality": ("municipality", "gemeente"),
    "col_inhabitants": ("inhabitants", "inwoners"),
    "col_65plus": ("share 65+", "aandeel 65+"),
    "col_amb_base": ("ambulance min, baseline", "ambulanceminuten, referentie"),
    "col_amb_new": ("ambulance min", "ambulanceminuten"),
    "col_extra_amb": ("extra ambulance min", "extra ambulanceminuten"),
    "col_extra_car": ("extra car min", "extra autominuten"),
    "col_extra_beyond": ("more inhabitants beyond the norm", "meer inwoners buiten de norm"),
    "col_seh": ("24/7 SEH", "24/7-SEH"),
    "col_catch_base": ("catchment, baseline", "verzorgingsgebied, referentie"),
    "col_catch_new": ("catchment", "verzorgingsgebied"),
    "col_catch_extra": ("extra inhabitants", "extra inwoners"),
    "sec_breaches": (
        "Norms breached per ROAZ region and scenario (mean over the replications with its 95 % "
        "interval; the change against the baseline paired, with its interval)",
        "Normen niet gehaald per ROAZ-regio en scenario (gemiddelde over de replicaties met "
        "95%-interval; de verandering t.o.v. de referentie gepaard, met interval)",
    ),
    "sec_care_networks": (
        "Complex care per network (the cancer network for oncological surgery, the vascular "
        "network for vascular surgery), per scenario: {indicator}",
        "Complexe zorg per netwerk (het oncologienetwerk voor oncologische chirurgie, het "
        "vaatnetwerk voor vaatchirurgie), per scenario: {indicator}",
    ),
    "providers_new": ("providers", "aanbieders"),
    "extra_travel_min_mean": (
        "mean extra car minutes per patient",
        "gemiddelde extra autominuten per patiënt",
    ),
    "sec_care_impact": (
        "Impact per stakeholder group (patients, professionals, providers, networks), per "
        "scenario; each job's care_impact.md has the chapter",
        "Effect per groep (patiënten, professionals, aanbieders, netwerken), per scenario; het "
        "hoofdstuk staat in care_impact.md van elke run",
    ),
    "sec_indicators": ("Indicators per scenario", "Indicatoren per scenario"),
    "sec_failed": ("Failed or incomplete jobs", "Mislukte of onvolledige runs"),
    "sec_paired": (
        "Paired differences against the baseline (common random numbers)",
        "Gepaarde verschillen t.o.v. de referentie (gemeenschappelijke toevalsgetallen)",
    ),
    "sec_unpaired": (
        "Jobs not paired with the baseline, and tables left out",
        "Runs niet gepaard met de referentie, en weggelaten tabellen",
    ),
    "sec_common": (
        "Configuration common to every job",
        "Configuratie die alle runs delen",
    ),
    "sec_assumptions": ("Assumptions", "Aannames"),
    "assumptions_text": (
        "The model's assumptions and their sources: docs/acute-model.md, docs/complex-care.md, "
        "docs/travel-model.md and the data README. Each job's full configuration is in its "
        "folder (config.yaml).",
        "De aannames van het model en hun bronnen: docs/acute-model.md, docs/complex-care.md, "
        "docs/travel-model.md en de README van de data. De volledige configuratie van elke run "
        "staat in zijn map (config.yaml).",
    ),
    "sec_sources": ("Data sources", "Databronnen"),
    "sources_text": (
        "Population, municipalities and the Kernprognose: CBS; municipal boundaries: CBS, "
        "Kadaster; hospitals, SEHs and ambulance posts: RIVM (via Eurostat GISCO for the sites); "
        "water barriers and crossings: RIVM and the sources in the data README; volume norms and "
        "quality standards: the professional associations and Zorginstituut figures cited in "
        "docs/complex-care.md. Each table's source, licence and approximations: "
        "src/patientflow/data/README.md.",
        "Bevolking, gemeenten en de Kernprognose: CBS; gemeentegrenzen: CBS, Kadaster; "
        "ziekenhuizen, SEH's en ambulancestandplaatsen: RIVM (de locaties via Eurostat GISCO); "
        "waterbarrières en oeververbindingen: RIVM en de bronnen in de README van de data; "
        "volumenormen en kwaliteitsstandaarden: de beroepsverenigingen en de cijfers van het "
        "Zorginstituut in docs/complex-care.md. Bron, licentie en benaderingen per tabel: "
        "src/patientflow/data/README.md.",
    ),
    "sec_stress_des": ("STRESS-DES checklist", "STRESS-DES-checklist"),
    "sec_software": ("Software", "Software"),
}


@dataclass(frozen=True)
class Labels:
    """The labels of one language; `tr("key", name=...)` gives the filled-in text."""

    lang: str = "en"

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}: use one of {', '.join(LANGUAGES)}")

    def __call__(self, key: str, **values: object) -> str:
        """The label `key` in this language, placeholders filled."""
        text = TEXT[key][LANGUAGES.index(self.lang)]
        return text.format(**values) if values else text

    def name(self, key: str) -> str:
        """An indicator's or table's name: its label where one exists, else the key in words."""
        return self(key) if key in TEXT else key.replace("_", " ")


EN = Labels("en")


def labels_of(lang: object) -> Labels:
    """The labels of a language given as "nl", "en" or the config's ReportLanguage."""
    return Labels(str(getattr(lang, "value", lang)))
