"""The commune directory: look-up, the picker's search, distances and adjacent communes."""

from __future__ import annotations

import statistics
import time
import unicodedata
from importlib import resources
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server_stub.reference.communes import (
    CommuneDirectory,
    UnknownCommune,
    adjacent_pairs,
    communes,
    distance_km,
    parse_adjacent_pairs,
)
from server_stub.rules.model import Commune

ACADEMIE = {"02", "60", "80"}


@pytest.fixture(scope="module")
def directory() -> CommuneDirectory:
    return communes()


def found_insee(directory: CommuneDirectory, query: str, limit: int = 20) -> list[str]:
    return [match.commune.insee for match in directory.search(query, limit)]


# --- look-up -----------------------------------------------------------------------------


def test_amiens_is_found_by_its_insee_code(directory: CommuneDirectory) -> None:
    amiens = directory.get("80021")

    assert amiens == Commune("80021", "Amiens", "80", 133625, 49.89871, 2.28468)


def test_paris_is_found_only_as_its_arrondissements(directory: CommuneDirectory) -> None:
    first = directory.require("75101")

    assert (first.name, first.department) == ("Paris 1er Arrondissement", "75")
    assert directory.get("75056") is None


def test_saint_quentin_is_found_by_its_insee_code(directory: CommuneDirectory) -> None:
    saint_quentin = directory.require("02691")

    assert (saint_quentin.name, saint_quentin.department) == ("Saint-Quentin", "02")


def test_an_unknown_commune_is_none_or_a_domain_error(directory: CommuneDirectory) -> None:
    assert directory.get("99999") is None
    with pytest.raises(UnknownCommune) as raised:
        directory.require("99999")

    assert raised.value.insee == "99999"
    assert raised.value.body()["type"] == "unknown_commune"
    assert raised.value.status_code == 404


def test_a_commune_lists_all_its_postal_codes(directory: CommuneDirectory) -> None:
    assert directory.postal_codes("80021") == ("80000", "80080", "80090")
    with pytest.raises(UnknownCommune):
        directory.postal_codes("99999")


def test_the_directory_is_loaded_once(directory: CommuneDirectory) -> None:
    assert communes() is directory
    assert len(directory) == 34976


def test_communes_of_the_academie_are_listed_by_insee_code(directory: CommuneDirectory) -> None:
    listed = directory.in_departments(ACADEMIE)

    assert len(listed) == 2250
    assert {c.department for c in listed} == ACADEMIE
    assert [c.insee for c in listed] == sorted(c.insee for c in listed)
    assert directory.in_departments({"2A"})[0].insee.startswith("2A")
    assert directory.in_departments({"00"}) == []


def test_a_commune_without_a_centre_in_the_source_gets_an_estimated_one(
    directory: CommuneDirectory,
) -> None:
    hauts_talican = directory.require("60694")
    auneuil = directory.require("60029")  # shares the postal code 60390

    assert directory.position_is_estimated("60694")
    assert not directory.position_is_estimated("60029")
    assert distance_km(hauts_talican, auneuil) < 10.0


def test_an_estimated_centre_is_the_mean_of_the_communes_sharing_a_postal_code() -> None:
    directory = CommuneDirectory.from_csv(
        [
            "insee,name,department,kind,postal_codes,lat,lng,population_2021",
            "60001,Nord,60,COM,60100,50.0,2.0,100",
            "60002,Sud,60,COM,60100 60200,49.0,3.0,100",
            "60003,Ailleurs,60,COM,60300,45.0,1.0,100",
            "60004,Sans-Centre,60,COM,60200 60100,,,100",
        ]
    )

    estimated = directory.require("60004")
    assert (estimated.lat, estimated.lng) == (49.5, 2.5)
    assert directory.position_is_estimated("60004")


# --- search ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Château-Thierry", "chateau thierry", "CHATEAU-THIERRY", "château thier"]
)
def test_a_name_is_found_whatever_its_accents_case_and_hyphens(
    directory: CommuneDirectory, query: str
) -> None:
    assert found_insee(directory, query)[0] == "02168"


@pytest.mark.parametrize("query", ["Saint-Quentin", "saint quentin", "St-Quentin", "st quentin"])
def test_saint_may_be_written_st(directory: CommuneDirectory, query: str) -> None:
    assert found_insee(directory, query)[0] == "02691"


def test_st_alone_may_still_be_the_start_of_a_name(directory: CommuneDirectory) -> None:
    found = found_insee(directory, "st", limit=3)

    assert found == ["67482", "42218", "97411"]  # Strasbourg, Saint-Étienne, Saint-Denis (974)


@pytest.mark.parametrize("query", ["l'oie", "L’Oie", "oie"])
def test_the_article_and_apostrophe_of_a_name_are_optional(
    directory: CommuneDirectory, query: str
) -> None:
    assert found_insee(directory, query)[0] == "85165"


def test_names_starting_with_the_query_come_before_names_containing_it(
    directory: CommuneDirectory,
) -> None:
    found = [m.commune.name for m in directory.search("beauvais")]

    assert found == [
        "Beauvais",
        "Beauvais-sur-Matha",
        "Beauvais-sur-Tescou",
        "Marseille-en-Beauvaisis",  # 1,443 inhabitants, more than the two above
        "Pierrefitte-en-Beauvaisis",
    ]


def test_a_whole_name_comes_before_longer_names_starting_with_it(
    directory: CommuneDirectory,
) -> None:
    found = [m.commune.name for m in directory.search("mont", limit=5)]

    assert found == ["Mont", "Mont", "Le Mont", "Mont", "Montpellier"]


def as_typed(name: str, upper: bool, bare: bool, spaced: bool) -> str:
    """The name as someone might type it: in capitals, without accents, without hyphens."""
    if bare:
        name = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "OE"))
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    if spaced:
        name = name.replace("-", " ").replace("'", " ")
    return name.upper() if upper else name.lower()


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, 34975), upper=st.booleans(), bare=st.booleans(), spaced=st.booleans())
def test_every_commune_can_be_picked_by_its_name(
    directory: CommuneDirectory, index: int, upper: bool, bare: bool, spaced: bool
) -> None:
    commune = list(directory)[index]

    found = [m.commune for m in directory.search(as_typed(commune.name, upper, bare, spaced))]

    assert commune in found  # at most 12 communes share a name (Sainte-Colombe)


def test_among_equal_matches_the_larger_population_comes_first(
    directory: CommuneDirectory,
) -> None:
    found = [m.commune for m in directory.search("saint-e", limit=20)]

    populations = [c.population for c in found]
    assert populations == sorted(populations, reverse=True)
    assert found[0].name == "Saint-Étienne"


def test_a_postal_code_finds_its_communes_with_their_postal_codes(
    directory: CommuneDirectory,
) -> None:
    (match,) = directory.search("80000")

    assert match.commune.name == "Amiens"
    assert match.postal_codes == ("80000", "80080", "80090")


def test_a_postal_code_prefix_finds_the_largest_communes_first(
    directory: CommuneDirectory,
) -> None:
    found = [m.commune.name for m in directory.search("80", limit=3)]

    assert found == ["Amiens", "Abbeville", "Albert"]


def test_search_honours_its_limit(directory: CommuneDirectory) -> None:
    assert len(directory.search("a", limit=7)) == 7
    assert directory.search("a", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "-'", "xyzzy", "99999"])
def test_a_query_matching_nothing_finds_nothing(directory: CommuneDirectory, query: str) -> None:
    assert directory.search(query) == []


def test_search_answers_within_the_pickers_budget(directory: CommuneDirectory) -> None:
    queries = ["a", "sai", "st quentin", "chateau thierry", "oie", "xyzzy", "80", "60390"]
    timings = []
    for _ in range(20):
        for query in queries:
            started = time.perf_counter()
            directory.search(query)
            timings.append(time.perf_counter() - started)

    assert statistics.median(timings) < 0.005


# --- distance ----------------------------------------------------------------------------


def test_amiens_beauvais_is_about_53_km_as_the_crow_flies(directory: CommuneDirectory) -> None:
    amiens, beauvais = directory.require("80021"), directory.require("60057")

    # 52.667 km: spherical law of cosines on the file's centres (49.89871, 2.28468) and
    # (49.44254, 2.0877), R = 6371.0 km, worked out apart from the code under test.
    assert distance_km(amiens, beauvais) == pytest.approx(52.667, abs=0.001)
    assert directory.distance_km(beauvais, amiens) == distance_km(amiens, beauvais)


def test_a_commune_is_at_no_distance_from_itself(directory: CommuneDirectory) -> None:
    amiens = directory.require("80021")

    assert distance_km(amiens, amiens) == 0.0


# --- adjacent communes -------------------------------------------------------------------


def adjacency_rows() -> list[list[str]]:
    text = resources.files("server_stub.data").joinpath("adjacent_communes.csv").read_text()
    return [line.split(",") for line in text.splitlines() if not line.startswith("#")]


def test_the_adjacency_file_is_a_small_csv_of_two_insee_codes() -> None:
    header, *rows = adjacency_rows()
    size = resources.files("server_stub.data").joinpath("adjacent_communes.csv").read_bytes()

    assert header == ["insee_a", "insee_b"]
    assert rows
    assert all(len(row) == 2 and row[0] < row[1] for row in rows)
    assert rows == sorted(rows)
    assert len(size) < 1_000_000


def test_adjacent_pairs_are_close_communes_of_the_academie(directory: CommuneDirectory) -> None:
    pairs = adjacent_pairs()

    assert len(pairs) == len(adjacency_rows()) - 1
    for pair in pairs:
        a, b = (directory.require(insee) for insee in sorted(pair))
        assert {a.department, b.department} <= ACADEMIE
        assert distance_km(a, b) < 4.0
    assert frozenset({"02691", "02340"}) in pairs  # Saint-Quentin and Gauchy


def test_the_adjacency_file_follows_its_documented_procedure(
    directory: CommuneDirectory,
) -> None:
    picked = [
        c
        for c in directory.in_departments(ACADEMIE)
        if not directory.position_is_estimated(c.insee)
    ]

    expected = {
        frozenset({a.insee, b.insee})
        for a, b in combinations(picked, 2)
        if abs(a.lat - b.lat) < 0.04 and distance_km(a, b) < 4.0  # 0.04° of latitude > 4.4 km
    }

    assert adjacent_pairs() == expected


def test_an_adjacency_list_ignores_comments_and_blank_lines() -> None:
    pairs = parse_adjacent_pairs(["# a comment", "insee_a,insee_b", "", "80021,80001"])

    assert pairs == frozenset({frozenset({"80021", "80001"})})


@pytest.mark.parametrize("row", ["80021", "80021,80021", "80021,8001", "80021,80001,80002"])
def test_a_malformed_adjacency_row_is_refused(row: str) -> None:
    with pytest.raises(ValueError, match="data row 1"):
        parse_adjacent_pairs([row])
