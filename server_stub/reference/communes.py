"""French communes (COG 2024): look-up, search by name or postal code, distances, adjacency.

The data ship with the package (`server_stub/data/communes.csv.gz`, see ATTRIBUTION.md there)
and are read once, on first use, by `communes()`. Nothing is downloaded at run time.

Paris, Marseille and Lyon exist only as their municipal arrondissements (75101-75120,
13201-13216, 69381-69389), as in the source.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gc
import gzip
import heapq
import itertools
import logging
import math
import re
import string
import threading
import time
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from functools import cache
from importlib import resources

from server_stub.core.errors import NotFound
from server_stub.rules.model import Commune

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0

_DATA_PACKAGE = "server_stub.data"
_COMMUNES_FILE = "communes.csv.gz"
_ADJACENT_FILE = "adjacent_communes.csv"
_COLUMNS = ("insee", "name", "department", "kind", "postal_codes", "lat", "lng", "population_2021")

# Sorts after every character a normalised key can hold, to close a prefix range.
_AFTER_ALL = chr(0x10FFFF)


class UnknownCommune(NotFound):
    type = "unknown_commune"

    def __init__(self, insee: str) -> None:
        super().__init__(f"Aucune commune ne porte le code INSEE « {insee} ».", insee=insee)
        self.insee = insee


@dataclasses.dataclass(frozen=True, slots=True)
class CommuneMatch:
    """One answer of `CommuneDirectory.search`, with every postal code of the commune."""

    commune: Commune
    postal_codes: tuple[str, ...]


def distance_km(a: Commune, b: Commune) -> float:
    """Great-circle distance between the centres of two communes (haversine, R = 6371.0 km)."""
    lat_a, lat_b = math.radians(a.lat), math.radians(b.lat)
    half_dlat = (lat_b - lat_a) / 2
    half_dlng = math.radians(b.lng - a.lng) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat_a) * math.cos(lat_b) * math.sin(half_dlng) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- name normalisation ------------------------------------------------------------------


def _unaccented(ch: str) -> str:
    special = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"}
    lower = ch.lower()
    if lower in special:
        return special[lower]
    return "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))


# A translation table rather than NFKD on each name: it keeps loading 35,000 names fast.
# Latin-1 and Latin Extended-A cover every commune name; ASCII punctuation becomes a space.
_FOLD = str.maketrans(
    {chr(cp): _unaccented(chr(cp)) for cp in range(0xC0, 0x250)}
    | {ch: " " for ch in string.punctuation}
)
_SEPARATORS = re.compile(r"[\W_]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_ARTICLES = frozenset({"l", "le", "la", "les"})


def _words(text: str) -> list[str]:
    """Lower-case, unaccented words; hyphens, apostrophes and punctuation only separate."""
    folded = text.translate(_FOLD).lower()
    if folded.isascii():
        return folded.split()
    folded = "".join(_unaccented(ch) for ch in folded)
    return [word for word in _SEPARATORS.split(folded) if word]


def _name_keys(name: str) -> tuple[str, ...]:
    """Search keys of a commune name: the whole name, and the name without its article.

    Words are kept apart by one space, whatever separated them ("Château-Thierry" and
    "chateau thierry" both give "chateau thierry"); "St" and "Ste" are spelt out.
    """
    words = _words(name)
    if not _ABBREVIATIONS.keys().isdisjoint(words):
        words = [_ABBREVIATIONS.get(word, word) for word in words]
    whole = " ".join(words)
    if len(words) > 1 and words[0] in _ARTICLES:
        return (whole, " ".join(words[1:]))
    return (whole,)


def _query_keys(query: str) -> tuple[str, ...]:
    """Keys to look for, as typed first, then with a last "st"/"ste" spelt out.

    The last word may still be being typed: "st" could be the start of "Strasbourg".
    """
    words = _words(query)
    if not words:
        return ()
    head = "".join(_ABBREVIATIONS.get(word, word) + " " for word in words[:-1])
    last = words[-1]
    if last in _ABBREVIATIONS:
        return (head + last, head + _ABBREVIATIONS[last])
    return (head + last,)


# --- the directory -----------------------------------------------------------------------


class CommuneDirectory:
    """Every commune, for look-up by INSEE code or department, search and distances.

    Built once (see `communes()`); read-only afterwards, so safe to share between threads. The
    search index is built on the first search: the rules, which only look communes up, never
    pay for it.
    """

    def __init__(
        self,
        entries: Iterable[tuple[Commune, tuple[str, ...]]],
        *,
        estimated_positions: Iterable[str] = (),
    ) -> None:
        items = sorted(entries, key=lambda entry: entry[0].insee)
        self._by_insee: dict[str, Commune] = {c.insee: c for c, _ in items}
        self._postal_codes: dict[str, tuple[str, ...]] = {c.insee: codes for c, codes in items}
        self._estimated_positions = frozenset(estimated_positions)
        if len(self._by_insee) != len(items):
            raise ValueError("duplicate INSEE codes")

        by_department: dict[str, list[Commune]] = {}
        for commune, _ in items:
            by_department.setdefault(commune.department, []).append(commune)
        self._by_department = by_department

        self._index: _SearchIndex | None = None
        self._index_lock = threading.Lock()

    @classmethod
    def from_csv(cls, lines: Iterable[str]) -> CommuneDirectory:
        """Read the layout of communes.csv (see server_stub/data/ATTRIBUTION.md).

        A commune without coordinates in the source is placed at the mean centre of the
        communes sharing one of its postal codes, and reported by `position_is_estimated`.
        """
        reader = csv.reader(lines)
        header = tuple(next(reader, ()))
        if header != _COLUMNS:
            raise ValueError(f"unexpected communes header: {header!r}")
        entries: list[tuple[Commune, tuple[str, ...]]] = []
        unplaced: list[tuple[Commune, tuple[str, ...]]] = []
        for insee, name, department, _kind, codes, lat, lng, population in reader:
            postal_codes = tuple(codes.split())
            if lat and lng:
                commune = Commune(insee, name, department, int(population), float(lat), float(lng))
                entries.append((commune, postal_codes))
            else:
                commune = Commune(insee, name, department, int(population), math.nan, math.nan)
                unplaced.append((commune, postal_codes))

        estimated = _estimate_positions(unplaced, entries)
        for commune, _ in estimated:
            logger.debug("commune %s has no centre in the source; estimated", commune.insee)
        return cls(entries + estimated, estimated_positions=[c.insee for c, _ in estimated])

    def __len__(self) -> int:
        return len(self._by_insee)

    def __iter__(self) -> Iterator[Commune]:
        """Communes by INSEE code."""
        return iter(self._by_insee.values())

    def get(self, insee: str) -> Commune | None:
        return self._by_insee.get(insee)

    def require(self, insee: str) -> Commune:
        commune = self._by_insee.get(insee)
        if commune is None:
            raise UnknownCommune(insee)
        return commune

    def postal_codes(self, insee: str) -> tuple[str, ...]:
        """The commune's postal codes; raises `UnknownCommune` for an unknown code."""
        try:
            return self._postal_codes[insee]
        except KeyError:
            raise UnknownCommune(insee) from None

    def position_is_estimated(self, insee: str) -> bool:
        """True when the source had no centre for the commune (see `from_csv`)."""
        return insee in self._estimated_positions

    def in_departments(self, departments: AbstractSet[str]) -> list[Commune]:
        """Communes of the given departments ("02", "2A", "971"...), by INSEE code."""
        found = [c for dep in departments for c in self._by_department.get(dep, ())]
        return sorted(found, key=lambda c: c.insee)

    distance_km = staticmethod(distance_km)

    def search(self, query: str, limit: int = 20) -> list[CommuneMatch]:
        """Communes for a picker: a postal-code prefix (digits) or part of a name.

        Names: case, accents, hyphens, apostrophes, a leading article and "St"/"Ste" do not
        matter; names equal to the query come first, then names that start with it, then names
        that contain it, each by decreasing population. Postal codes: by decreasing population.
        """
        if limit <= 0:
            return []
        index = self._search_index()
        digits = "".join(query.split())
        if digits.isascii() and digits.isdigit():
            found = index.by_postal_prefix(digits, limit)
        else:
            found = index.by_name(_query_keys(query), limit)
        return [CommuneMatch(commune, self._postal_codes[commune.insee]) for commune in found]

    def _search_index(self) -> _SearchIndex:
        index = self._index
        if index is None:
            with self._index_lock:
                index = self._index
                if index is None:
                    with _cyclic_gc_paused():
                        index = self._index = _SearchIndex(
                            list(self._by_insee.values()), self._postal_codes
                        )
        return index


class _SearchIndex:
    """Communes ranked by population, then name, then INSEE code; searches compare ranks."""

    def __init__(self, by_insee: list[Commune], postal_codes: dict[str, tuple[str, ...]]) -> None:
        # Built without Python-level key functions or tuples: it is 35,000 names.
        name_keys = [_name_keys(c.name) for c in by_insee]
        wholes = [keys[0] for keys in name_keys]
        order = sorted(range(len(by_insee)), key=wholes.__getitem__)  # stable: INSEE breaks ties
        order.sort(key=[-c.population for c in by_insee].__getitem__)
        self._ranked = [by_insee[i] for i in order]

        # Prefix search: bisect into the sorted keys (whole name, and name without article).
        keys = [key for i in order for key in name_keys[i]]
        key_ranks = [rank for rank, i in enumerate(order) for _ in name_keys[i]]
        self._prefix_keys, self._prefix_ranks = _sorted_index(keys, key_ranks)

        # Contains search: one string scanned by str.find, whole names in rank order, so the
        # first hits are the most populated communes and the scan can stop early.
        ranked_wholes = [wholes[i] for i in order]
        self._haystack = "\n".join(ranked_wholes)
        self._key_starts = list(
            itertools.accumulate((len(k) + 1 for k in ranked_wholes[:-1]), initial=0)
        )

        ranked_codes = [postal_codes[c.insee] for c in self._ranked]
        codes = [code for codes in ranked_codes for code in codes]
        code_ranks = [rank for rank, codes in enumerate(ranked_codes) for _ in codes]
        self._postal_keys, self._postal_ranks = _sorted_index(codes, code_ranks)

    def by_postal_prefix(self, prefix: str, limit: int) -> list[Commune]:
        lo = bisect_left(self._postal_keys, prefix)
        hi = bisect_left(self._postal_keys, prefix + _AFTER_ALL, lo)
        return [self._ranked[r] for r in heapq.nsmallest(limit, set(self._postal_ranks[lo:hi]))]

    def by_name(self, keys: tuple[str, ...], limit: int) -> list[Commune]:
        # Exact names first: otherwise "Mont" or "Sai" would drown among the names they start.
        exact: set[int] = set()
        starting: set[int] = set()
        for variant, key in enumerate(keys):
            lo = bisect_left(self._prefix_keys, key)
            middle = bisect_right(self._prefix_keys, key, lo)
            hi = bisect_left(self._prefix_keys, key + _AFTER_ALL, middle)
            # A spelt-out "st" is a guess: it may only start names ("st" is not "Le Saint").
            (exact if variant == 0 else starting).update(self._prefix_ranks[lo:middle])
            starting.update(self._prefix_ranks[middle:hi])
        starting -= exact
        ranks = heapq.nsmallest(limit, exact)
        ranks += heapq.nsmallest(limit - len(ranks), starting)
        if len(ranks) < limit:
            containing: set[int] = set()
            for key in keys:
                containing.update(self._containing(key, exact | starting, limit - len(ranks)))
            ranks += heapq.nsmallest(limit - len(ranks), containing)
        return [self._ranked[r] for r in ranks]

    def _containing(self, key: str, excluded: set[int], wanted: int) -> list[int]:
        """The `wanted` best ranks whose name contains `key`, beyond `excluded`."""
        found: list[int] = []
        haystack, starts = self._haystack, self._key_starts
        position = haystack.find(key)
        while position >= 0 and len(found) < wanted:
            rank = bisect_right(starts, position) - 1
            if rank not in excluded:
                found.append(rank)
            if rank + 1 == len(starts):
                break
            position = haystack.find(key, starts[rank + 1])
        return found


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    # Loading allocates some 200,000 objects, none in a cycle; the cyclic collector, set off
    # again and again by them, would add about a sixth to the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _sorted_index(keys: list[str], ranks: list[int]) -> tuple[list[str], list[int]]:
    """Keys in order, and the rank each belongs to (equal keys: by rank, the sort is stable)."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return [keys[i] for i in order], [ranks[i] for i in order]


def _estimate_positions(
    unplaced: list[tuple[Commune, tuple[str, ...]]],
    placed: list[tuple[Commune, tuple[str, ...]]],
) -> list[tuple[Commune, tuple[str, ...]]]:
    """Place each commune at the mean centre of the placed communes sharing a postal code."""
    if not unplaced:
        return []
    wanted = {code for _, codes in unplaced for code in codes}
    sharing: dict[str, list[Commune]] = {}
    for commune, codes in placed:
        if not wanted.isdisjoint(codes):
            for code in wanted.intersection(codes):
                sharing.setdefault(code, []).append(commune)
    estimated = []
    for commune, codes in unplaced:
        near = {c.insee: c for code in codes for c in sharing.get(code, ())}.values()
        if not near:
            raise ValueError(f"commune {commune.insee}: no centre and no neighbour to estimate it")
        lat = sum(c.lat for c in near) / len(near)
        lng = sum(c.lng for c in near) / len(near)
        estimated.append((dataclasses.replace(commune, lat=lat, lng=lng), codes))
    return estimated


@cache
def communes() -> CommuneDirectory:
    """The packaged directory, read on first call."""
    started = time.perf_counter()
    packed = resources.files(_DATA_PACKAGE).joinpath(_COMMUNES_FILE).read_bytes()
    text = gzip.decompress(packed).decode("utf-8")
    with _cyclic_gc_paused():
        directory = CommuneDirectory.from_csv(text.splitlines())
    logger.debug(
        "%d communes loaded in %.0f ms", len(directory), (time.perf_counter() - started) * 1000
    )
    return directory


# --- adjacent communes -------------------------------------------------------------------


def parse_adjacent_pairs(lines: Iterable[str]) -> frozenset[frozenset[str]]:
    """Read an `insee_a,insee_b` list of adjacent communes; `#` lines are comments."""
    pairs: set[frozenset[str]] = set()
    rows = (line for line in lines if line.strip() and not line.lstrip().startswith("#"))
    for number, row in enumerate(csv.reader(rows), start=1):
        if number == 1 and row == ["insee_a", "insee_b"]:
            continue
        if len(row) != 2 or row[0] == row[1] or not all(len(code) == 5 for code in row):
            raise ValueError(f"adjacent communes, data row {number}: bad pair {row!r}")
        pairs.add(frozenset(row))
    return frozenset(pairs)


@cache
def adjacent_pairs() -> frozenset[frozenset[str]]:
    """The packaged default list of adjacent communes (DOMAIN §5; see the file's header)."""
    text = resources.files(_DATA_PACKAGE).joinpath(_ADJACENT_FILE).read_text(encoding="utf-8")
    return parse_adjacent_pairs(text.splitlines())
