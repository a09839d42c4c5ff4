"""Generate flashpoint/data/actors/countries.tsv and regions.tsv from ISO 3166 (via pycountry).

Run once when ISO data changes, then commit the output; pycountry is not a runtime dependency:

    pip install pycountry
    python scripts/build_country_lexicon.py

countries.tsv: one row per ISO 3166-1 country, with a short display name and name variants.
regions.tsv: first-level ISO 3166-2 subdivisions with news-usable names (diacritics folded), minus names that
are ambiguous between countries or that collide with a country, capital or demonym in the hand-written lists.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent.parent / "flashpoint" / "data" / "actors"

# Short display names where ISO's name is formal or inverted ("Iran, Islamic Republic of").
SHORT_NAMES = {
    "BOL": "Bolivia",
    "COD": "DR Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "GBR": "United Kingdom",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MDA": "Moldova",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SYR": "Syria",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "USA": "United States",
    "VEN": "Venezuela",
    "VNM": "Vietnam",
    "VAT": "Vatican",
    "BRN": "Brunei",
    "CZE": "Czechia",
    "TUR": "Turkey",
    "CIV": "Ivory Coast",
    "MKD": "North Macedonia",
    "CPV": "Cape Verde",
    "SWZ": "Eswatini",
    "TLS": "East Timor",
    "FLK": "Falkland Islands",
    "VGB": "British Virgin Islands",
    "VIR": "US Virgin Islands",
    "SHN": "Saint Helena",
    "MAF": "Saint Martin",
    "SXM": "Sint Maarten",
    "CCK": "Cocos Islands",
    "BES": "Caribbean Netherlands",
    "HKG": "Hong Kong",
    "MAC": "Macao",
}
# Countries outside ISO 3166-1 that news codes all the same (user-assigned code).
EXTRA_COUNTRIES = [("XKX", "XK", "xk", "Kosovo", "Kosovo|Republic of Kosovo")]
# ISO subdivision names that are also everyday English words (or a cartoon hero): not safe to match.
ENGLISH_WORDS = {
    "Batman",
    "Balkan",
    "Acre",
    "Alba",
    "Central",
    "Centre",
    "Coast",
    "Eastern",
    "Western",
    "Northern",
    "Southern",
    "Upper",
    "Lower",
    "Lakes",
    "Plateau",
    "Maritime",
    "Littoral",
    "Capital",
    "Islands",
    "Mountain",
    "Delta",
    "Rivers",
    "Unity",
    "Victoria",
    "Orange",
    "Nord",
    "Sud",
    "Est",
    "Ouest",
    "Centro",
    "Oriental",
    "Occidental",
    "Kara",
    "Para",
    "Grand",
    "Union",
    "Liberty",
    "Independencia",
    "Libertad",
    "Interior",
    "Atlantique",
    "Atlantico",
    "Pacifique",
    "Savanes",
    "Frontier",
    "Highlands",
    "Lowlands",
    "Equator",
    "Santa",
    "Commonwealth",
    "Guardian",
}
REGION_TYPES = {
    "Province",
    "Region",
    "State",
    "Governorate",
    "Republic",
    "Autonomous region",
    "Autonomous community",
    "Land",
    "Voivodship",
    "Regional state",
    "Union territory",
    "Oblast",
    "Prefecture",
    "Department",
    "County",
    "Autonomous republic",
    "Pakistan administered area",
    "Federal territory",
    "Territory",
    "Capital territory",
    "Special administrative region",
    "Autonomous province",
    "Emirate",
    "Division",
}


def fold(text: str) -> str:
    """Strip diacritics: 'Sīstān va Balūchestān' -> 'Sistan va Baluchestan'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def reorder(name: str) -> str:
    """'Korea, Republic of' -> 'Republic of Korea'; names without a comma are returned as they are."""
    head, _, tail = name.partition(", ")
    return f"{tail} {head}" if tail else name


def country_rows() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for country in pycountry.countries:
        names = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        variants = {reorder(name) for name in names if name} | {fold(reorder(name)) for name in names if name}
        short = SHORT_NAMES.get(country.alpha_3) or getattr(country, "common_name", None) or country.name
        variants = {name for name in variants if "(" not in name and "," not in name} | {short}
        tld = "uk" if country.alpha_2 == "GB" else country.alpha_2.lower()
        rows.append((country.alpha_3, country.alpha_2, tld, short, "|".join(sorted(variants))))
    return sorted(rows) + EXTRA_COUNTRIES


def taken_names(country_names: set[str]) -> set[str]:
    """Names already used by the hand-written lexicons: a region may not shadow them."""
    taken = set(country_names)
    for file_name in ("country_aliases.tsv", "capitals.tsv", "demonyms.tsv"):
        lines = [line for line in (DATA / file_name).read_text().splitlines() if not line.startswith("#")]
        taken |= {row["phrase"] for row in csv.DictReader(lines, delimiter="\t")}
    return {name.lower() for name in taken}


def region_rows(taken: set[str]) -> list[tuple[str, str, str]]:
    by_name: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None or subdivision.type not in REGION_TYPES:
            continue
        name = fold(subdivision.name).lstrip("'\u2018\u2019`")
        if (
            len(name) < 4
            or any(char in name for char in ",[(/")
            or name.lower() in taken
            or name in ENGLISH_WORDS
        ):
            continue
        country = pycountry.countries.get(alpha_2=subdivision.country_code)
        if country is not None:
            by_name[name].add((country.alpha_3, subdivision.code))
    return sorted((name, *next(iter(codes))) for name, codes in by_name.items() if len(codes) == 1)


def write_tsv(path: Path, header: list[str], comment: str, rows: Sequence[tuple[str, ...]]) -> None:
    with path.open("w", newline="") as handle:
        handle.write(comment)
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    countries = country_rows()
    write_tsv(
        DATA / "countries.tsv",
        ["iso3", "iso2", "tld", "name", "variants"],
        "# Countries. Source: ISO 3166-1 via pycountry (made by scripts/build_country_lexicon.py;\n"
        "# do not edit). Columns: iso3, iso2, tld (country-code top-level domain),\n"
        "# name (short display name), variants (|-separated names, matched case-sensitively).\n"
        "# XKX (Kosovo) is a user-assigned code.\n",
        countries,
    )
    names = {variant for row in countries for variant in row[4].split("|")}
    write_tsv(
        DATA / "regions.tsv",
        ["phrase", "iso3", "code"],
        "# First-level subdivisions. Source: ISO 3166-2 via pycountry\n"
        "# (made by scripts/build_country_lexicon.py; do not edit: add spellings to regions_extra.tsv).\n"
        "# Diacritics folded; names shared by two countries or equal to a country, capital or demonym\n"
        "# are left out. Columns: phrase, iso3, code.\n",
        region_rows(taken_names(names)),
    )


if __name__ == "__main__":
    main()
