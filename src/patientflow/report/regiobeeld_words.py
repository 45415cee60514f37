"""The words of the regiobeeld chapter (regiobeeld_chapter.py) in English and Dutch."""

from __future__ import annotations

# The chapter's words, key: (English, Nederlands), as in care_words.py. The English chapter
# shows the job's tables with their own column and row names, so those are keyed (and shown in
# English) as the job names them; a name missing here is shown as it is. Numbers keep the decimal
# point and the thousands comma in Dutch too, as md_table writes every table of the report.
WORDS: dict[str, tuple[str, str]] = {
    "headline": (
        "{population_now:,.0f} inhabitants in {municipalities} municipalities in {now}, "
        "{population_then:,.0f} in {horizon} ({growth:+.1%}); 65+ from {share_65_now:.1%} to "
        "{share_65_then:.1%}. A1 ambulances on scene within 15 minutes: {a1_now:.1%} in {now}, "
        "{a1_then:.1%} in {horizon} on {fleet}. {largest}",
        "{population_now:,.0f} inwoners in {municipalities} gemeenten in {now}, "
        "{population_then:,.0f} in {horizon} ({growth:+.1%}); het aandeel 65-plussers gaat van "
        "{share_65_now:.1%} naar {share_65_then:.1%}. A1-ritten binnen 15 minuten ter plaatse: "
        "{a1_now:.1%} in {now}, {a1_then:.1%} in {horizon}, met {fleet}. {largest}",
    ),
    # the headline's last sentence: the largest relative gap, or, where every resource needs
    # less than today (a shrinking region), the one nearest to today's amount
    "largest_gap": (
        "The largest gap at today's occupancy, relative to today: {resource}, {today} today "
        "against {needed} needed ({gap}).",
        "Het grootste tekort bij de huidige bezettingsgraad, naar verhouding: {resource}, nu "
        "{today}, nodig {needed} ({gap}).",
    ),
    "no_gap": (
        "No resource needs more than today at today's occupancy; the nearest to today's amount: "
        "{resource}, {today} today against {needed} needed ({gap}).",
        "Geen capaciteit hoeft te groeien bij de huidige bezettingsgraad; het dichtst bij de "
        "huidige capaciteit: {resource}, nu {today}, nodig {needed} ({gap}).",
    ),
    # the gap of the headline, with its interval over the replications or without one
    "gap_interval": (
        "{relative:+.1%}; 95% interval {low:+.1%} to {high:+.1%} over {n} replications",
        "{relative:+.1%}; 95%-interval {low:+.1%} tot {high:+.1%} over {n} replicaties",
    ),
    "gap_one": (
        "{relative:+.1%}; one replication, no interval",
        "{relative:+.1%}; één replicatie, geen interval",
    ),
    # the fleet each year was simulated with, by facilities.ambulance.fleet (acute pressure)
    "fleet_public": (
        "today's national ambulance fleet ({n} staffed in a weekday-daytime hour, spread by each "
        "year's load)",
        "de huidige landelijke ambulancevloot ({n} bemande ambulances in een uur overdag op een "
        "werkdag, verdeeld naar de belasting van elk jaar)",
    ),
    # the same, short, for the headline
    "fleet_public_short": ("today's national fleet", "de huidige landelijke ambulancevloot"),
    "fleet_national_short": ("a national fleet of {n}", "een landelijke vloot van {n}"),
    "fleet_national": (
        "a national ambulance fleet of your own ({n} staffed in a weekday-daytime hour, today "
        "{today}; spread by each year's load)",
        "een eigen landelijke ambulancevloot ({n} bemande ambulances in een uur overdag op een "
        "werkdag, nu {today}; verdeeld naar de belasting van elk jaar)",
    ),
    # added to any of them under a scenario's capacity factor (scenario=staff_shortage)
    "fleet_capacity": (", staffed at {factor:.0%}", ", bemand voor {factor:.0%}"),
    "fleet_table_short": ("the fleet of your fleet file", "de vloot uit uw eigen vlootbestand"),
    "fleet_occupancy_short": (
        "a fleet sized to {occupancy:.0%} occupancy",
        "een vloot voor {occupancy:.0%} bezettingsgraad",
    ),
    "fleet_table": (
        "the ambulances per region and daypart of your fleet file ({path})",
        "de ambulances per regio en dagdeel uit uw eigen vlootbestand ({path})",
    ),
    "fleet_occupancy": (
        "as many ambulances as keep each region's expected occupancy at {occupancy:.0%}",
        "zoveel ambulances als nodig zijn voor een verwachte bezettingsgraad van {occupancy:.0%} "
        "per regio",
    ),
    # how the simulated numbers were replicated (acute pressure; capacity)
    "pressure_replications": (
        "the mean of {n} replications, with each year's 95% interval (ambulance utilisation: the "
        "first replication's)",
        "het gemiddelde van {n} replicaties, met het 95%-interval van elk jaar (bezettingsgraad "
        "ambulances: die van de eerste replicatie)",
    ),
    "pressure_one": (
        "one replication: differences of a point or two are within noise, and no interval is "
        "shown (sim.replications=5 gives one)",
        "één replicatie: verschillen van een procentpunt of twee vallen binnen de ruis, en er is "
        "geen interval (sim.replications=5 geeft er een)",
    ),
    "capacity_replications": (
        "The volumes are means over the {n} replications; the need is the mean over them of "
        "today's amount times each replication's growth (the years paired by replication, the "
        "same seeds), with its 95% interval.",
        "De volumes zijn gemiddelden over de {n} replicaties; de benodigde capaciteit is het "
        "gemiddelde daarover van de huidige capaciteit maal de groei in elke replicatie (de jaren "
        "per replicatie gepaard, met dezelfde seeds), met het 95%-interval.",
    ),
    "capacity_one": (
        "One replication: the need moves by several per cent from seed to seed and has no "
        "interval here; run sim.replications=5 for one.",
        "Eén replicatie: de benodigde capaciteit verschuift enkele procenten van seed tot seed en "
        "heeft hier geen interval; draai sim.replications=5 voor een interval.",
    ),
    # where the population of both years comes from (How this was made)
    "population_rule": (
        "from the CBS Kernprognose 2024–2070 applied to each municipality's age structure (the "
        "national rule)",
        "volgens de CBS Kernprognose 2024–2070, toegepast op de leeftijdsopbouw van elke gemeente "
        "(de landelijke regel)",
    ),
    "population_file": (
        "from your prognosis file ({path}) for the municipalities it lists, and for the others "
        "from the CBS Kernprognose 2024–2070 applied to each municipality's age structure",
        "uit uw eigen prognosebestand ({path}) voor de gemeenten die het noemt, en voor de andere "
        "volgens de CBS Kernprognose 2024–2070, toegepast op de leeftijdsopbouw van elke gemeente",
    ),
    # headers
    "quantity": ("quantity", "kengetal"),
    "change": ("change", "verandering"),
    "service": ("service", "voorziening"),
    "mode": ("mode", "vervoer"),
    "mean_min": ("mean_min", "gemiddeld (min)"),
    "p95_min": ("p95_min", "p95 (min)"),
    "max_min": ("max_min", "max (min)"),
    "inhabitants_beyond": ("inhabitants_beyond_{norm}_min", "inwoners buiten {norm} min"),
    "share_beyond": ("share_beyond_{norm}_min", "aandeel buiten {norm} min"),
    "site_id": ("site_id", "locatie"),
    "name": ("name", "naam"),
    "town": ("town", "plaats"),
    "seh_status": ("seh_status", "SEH-status"),
    "seh_bays": ("seh_bays", "SEH-behandelplekken"),
    "beds": ("beds", "bedden"),
    "icu_beds": ("icu_beds", "IC-bedden"),
    "operating_rooms": ("operating_rooms", "operatiekamers"),
    "resource": ("resource", "capaciteit"),
    "today": ("today", "nu"),
    "driver": ("driver", "gevuld door"),
    "volume_year": ("volume_{year}", "volume {year}"),
    "needed_year": ("needed_{year}", "nodig {year}"),
    "patients_year": ("patients_{year}", "patiënten {year}"),
    "gap": ("gap", "tekort"),
    "relative_gap": ("relative_gap", "tekort naar verhouding"),
    "ci95_year": ("95% interval {year}", "95%-interval {year}"),
    "needed_ci95_year": ("needed_{year}, 95% interval", "nodig {year}, 95%-interval"),
    "intervention": ("intervention", "ingreep"),
    "providers_in_region": ("providers_in_region", "aanbieders in de regio"),
    "volume_in_region_today": ("volume_in_region_today", "volume in de regio nu"),
    # people
    "inhabitants": ("inhabitants", "inwoners"),
    "aged 65+": ("aged 65+", "65-plussers"),
    "share 65+": ("share 65+", "aandeel 65-plussers"),
    "aged 80+ (rule)": ("aged 80+ (rule)", "80-plussers (rekenregel)"),
    "share 80+ (rule)": ("share 80+ (rule)", "aandeel 80-plussers (rekenregel)"),
    # access
    "seh_247": ("seh_247", "24/7-SEH"),
    "seh": ("seh", "elke SEH (ook beperkt open)"),
    "hospital": ("hospital", "ziekenhuis"),
    "gp_post": ("gp_post", "huisartsenpost"),
    "ambulance_post": ("ambulance_post", "ambulancepost"),
    "ambulance_min_to_seh": ("ambulance_min_to_seh", "ambulance: melding tot 24/7-SEH"),
    "car": ("car", "auto"),
    "ambulance": ("ambulance", "ambulance"),
    # providers
    "open_247": ("open_247", "24/7 open"),
    "limited_hours": ("limited_hours", "beperkte openingstijden"),
    "closed_in_network": ("closed_in_network", "gesloten in dit netwerk"),
    "none": ("none", "geen SEH"),
    # acute pressure
    "expected call_112 a year": ("expected call_112 a year", "verwachte 112-meldingen per jaar"),
    "expected gp_post_call a year": (
        "expected gp_post_call a year",
        "verwachte telefonische contacten huisartsenpost per jaar",
    ),
    "expected self_referral a year": (
        "expected self_referral a year",
        "verwachte zelfverwijzers SEH per jaar",
    ),
    "expected gp_referral a year": (
        "expected gp_referral a year",
        "verwachte verwijzingen door de huisarts per jaar",
    ),
    "expected other_referral a year": (
        "expected other_referral a year",
        "verwachte overige verwijzingen per jaar",
    ),
    "simulated seh_visits a year": (
        "simulated seh_visits a year",
        "gesimuleerde SEH-bezoeken per jaar",
    ),
    "simulated gp_post_contacts a year": (
        "simulated gp_post_contacts a year",
        "gesimuleerde contacten huisartsenpost per jaar",
    ),
    "simulated ambulance_deployments a year": (
        "simulated ambulance_deployments a year",
        "gesimuleerde ambulance-inzetten per jaar",
    ),
    "simulated admissions a year": ("simulated admissions a year", "gesimuleerde opnames per jaar"),
    "a1_share_on_scene_15min": ("a1_share_on_scene_15min", "A1-ritten binnen 15 min ter plaatse"),
    "a1_response_min_p95": ("a1_response_min_p95", "A1-responstijd in min, p95"),
    "a2_share_on_scene_30min": ("a2_share_on_scene_30min", "A2-ritten binnen 30 min ter plaatse"),
    "a1_a2_share_at_seh_within_norm": (
        "a1_a2_share_at_seh_within_norm",
        "A1/A2 binnen de norm op een SEH",
    ),
    "share_urgent_answered_30s": (
        "share_urgent_answered_30s",
        "spoedoproepen binnen 30 s beantwoord",
    ),
    "share_seh_triage_10min": ("share_seh_triage_10min", "SEH-triage binnen 10 min"),
    "seh_los_min_p90": ("seh_los_min_p90", "verblijfsduur SEH in min, p90"),
    "share_admitted": ("share_admitted", "aandeel opgenomen"),
    "diverted_ambulances": ("diverted_ambulances", "ambulances omgeleid naar een andere SEH"),
    "ambulance utilisation": ("ambulance utilisation", "bezettingsgraad ambulances"),
    "staffed ambulances in the simulation, weekday daytime": (
        "staffed ambulances in the simulation, weekday daytime",
        "bemande ambulances in de simulatie, werkdag overdag",
    ),
    # capacity
    "ambulances, weekday daytime (share of the national fleet)": (
        "ambulances, weekday daytime (share of the national fleet)",
        "ambulances, werkdag overdag (aandeel in de landelijke vloot)",
    ),
    "SEH treatment bays": ("SEH treatment bays", "SEH-behandelplekken"),
    "hospital beds of the open SEH sites (grown with acute admissions)": (
        "hospital beds of the open SEH sites (grown with acute admissions)",
        "ziekenhuisbedden van de locaties met een open SEH (groeien mee met de acute opnames)",
    ),
    "ambulance_deployments": ("ambulance_deployments", "ambulance-inzetten"),
    "seh_visits": ("seh_visits", "SEH-bezoeken"),
    "admissions": ("admissions", "acute opnames"),
}
