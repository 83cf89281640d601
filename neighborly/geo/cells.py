"""The spatial cell index: ~500 m cells for address privacy and the Near-me query.

Grid (pure arithmetic, no database):

- Rows are bands of ``DLAT = 0.0045`` degrees of latitude (~500 m), numbered from
  the south pole: ``row = floor((lat + 90) / DLAT)``, 40 000 rows in all.
- Each row is cut into a whole number of equal columns, chosen per row so that a
  cell is never wider than ``CELL_KM`` at its widest (equator-side) edge:
  ``columns(row) = ceil(circumference_at_that_edge / CELL_KM)``. Cells therefore
  stay ~500 m square from the equator to the polar circles, and merely narrow
  towards the poles instead of collapsing. Columns are numbered eastwards from
  longitude -180, and a row wraps cleanly across the antimeridian.
- ``cell id = row * COLUMN_BASE + column``: a non-negative int below 4.1e9, so it
  fits a signed 64-bit column (and a Python int) with room to spare.

The centre of a cell is the public point shown instead of an exact address; it is
at most ~354 m (half a cell diagonal) from any point inside the cell.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

EARTH_RADIUS_KM = 6371.0088
CELL_KM = 0.5
DLAT = 0.0045
ROWS = 40_000  # 180 / DLAT
COLUMN_BASE = 100_000  # more than the 80 064 columns of the widest row

_EPS_DEG = 1e-9  # widen geometric tests by a hair so float rounding never misses a cell
_EPS_KM = 1e-6

BANDS: tuple[tuple[str, float, str], ...] = (
    ("under_1km", 1.0, "under 1 km"),
    ("1_3km", 3.0, "1-3 km"),
    ("3_5km", 5.0, "3-5 km"),
    ("5_10km", 10.0, "5-10 km"),
    ("over_10km", math.inf, "over 10 km"),
)
_BAND_LABELS = {code: label for code, _, label in BANDS}


class CellBounds(NamedTuple):
    """The latitude / longitude box of one cell, in degrees."""

    south: float
    west: float
    north: float
    east: float


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _row_of(lat: float) -> int:
    """Row index of a latitude, clamped to the grid."""
    return min(ROWS - 1, max(0, math.floor((lat + 90.0) / DLAT)))


def _row_lats(row: int) -> tuple[float, float]:
    """South and north latitude of a row."""
    return row * DLAT - 90.0, (row + 1) * DLAT - 90.0


@lru_cache(maxsize=ROWS)
def columns(row: int) -> int:
    """Number of columns in a row, so no cell is wider than CELL_KM."""
    south, north = _row_lats(row)
    widest_lat = 0.0 if south <= 0.0 <= north else min(abs(south), abs(north))
    circumference = 2 * math.pi * EARTH_RADIUS_KM * math.cos(math.radians(widest_lat))
    return max(1, math.ceil(circumference / CELL_KM - 1e-9))


def _column_of(row: int, lng: float) -> int:
    """Column index of a longitude (any value, wrapped) within a row."""
    n = columns(row)
    offset = (lng + 180.0) % 360.0
    return min(n - 1, math.floor(offset * n / 360.0))


def cell_of(lat: float, lng: float) -> int:
    """The id of the cell containing a point."""
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude out of range: {lat}")
    row = _row_of(lat)
    return row * COLUMN_BASE + _column_of(row, lng)


def _split(cell_id: int) -> tuple[int, int]:
    """Row and column of a cell id, or ValueError if there is no such cell."""
    row, col = divmod(cell_id, COLUMN_BASE)
    if not (0 <= row < ROWS and 0 <= col < columns(row)):
        raise ValueError(f"not a cell id: {cell_id}")
    return row, col


def cell_bounds(cell_id: int) -> CellBounds:
    """The south, west, north and east edges of a cell."""
    row, col = _split(cell_id)
    south, north = _row_lats(row)
    width = 360.0 / columns(row)
    return CellBounds(south, col * width - 180.0, north, (col + 1) * width - 180.0)


@lru_cache(maxsize=65536)
def cell_centre(cell_id: int) -> tuple[float, float]:
    """The public (lat, lng) point shown for anything inside the cell (remembered per cell)."""
    south, west, north, east = cell_bounds(cell_id)
    return (south + north) / 2, (west + east) / 2


def _half_width_deg(lat0: float, lat: float, radius_km: float) -> float:
    """Half the longitude span, in degrees, of the circle along one parallel."""
    denom = math.cos(math.radians(lat0)) * math.cos(math.radians(lat))
    numer = math.cos(radius_km / EARTH_RADIUS_KM) - math.sin(math.radians(lat0)) * math.sin(
        math.radians(lat)
    )
    if denom <= 1e-15:
        return 180.0 if numer <= 0.0 else 0.0
    return math.degrees(math.acos(max(-1.0, min(1.0, numer / denom))))


def _band_half_width(lat0: float, radius_km: float, lo: float, hi: float) -> float:
    """Widest longitude half-span of the circle between two latitudes."""
    probes = [lo, hi]
    ratio = math.sin(math.radians(lat0)) / math.cos(radius_km / EARTH_RADIUS_KM)
    if abs(ratio) < 1.0:  # the parallel where the circle is widest, if it exists
        widest = math.degrees(math.asin(ratio))
        if lo < widest < hi:
            probes.append(widest)
    return max(_half_width_deg(lat0, lat, radius_km) for lat in probes)


def _row_cells(row: int, lng: float, half_width: float) -> list[int]:
    """Cells of one row that overlap the longitude span lng +- half_width."""
    n = columns(row)
    first = math.floor((lng - half_width + 180.0) * n / 360.0)
    last = math.floor((lng + half_width + 180.0) * n / 360.0)
    cols = range(n) if half_width >= 180.0 or last - first + 1 >= n else range(first, last + 1)
    return [row * COLUMN_BASE + col % n for col in cols]


def bounding_box(
    lat: float, lng: float, radius_km: float
) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) holding every point within radius_km; None across a pole
    or the antimeridian (callers then read everything)."""
    half_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
    south, north = lat - half_lat, lat + half_lat
    if south <= -90.0 or north >= 90.0:
        return None
    half_lng = _band_half_width(lat, radius_km, south, north)
    west, east = lng - half_lng, lng + half_lng
    if west <= -180.0 or east >= 180.0:
        return None
    return south, west, north, east


def cells_within(lat: float, lng: float, radius_km: float) -> list[int]:
    """Every cell that intersects the circle around a point, sorted ascending."""
    if radius_km < 0:
        raise ValueError("radius must not be negative")
    radius = radius_km * (1 + 1e-9) + _EPS_KM
    reach = math.degrees(radius / EARTH_RADIUS_KM)
    lat_lo, lat_hi = max(-90.0, lat - reach), min(90.0, lat + reach)
    found: set[int] = set()
    for row in range(_row_of(lat_lo), _row_of(lat_hi) + 1):
        south, north = _row_lats(row)
        lo, hi = max(south - _EPS_DEG, lat_lo), min(north + _EPS_DEG, lat_hi)
        half_width = _band_half_width(lat, radius, lo, hi) + _EPS_DEG
        found.update(_row_cells(row, lng, half_width))
    return sorted(found)


@lru_cache(maxsize=1024)
def cells_by_distance(lat: float, lng: float, radius_km: float) -> tuple[tuple[float, int], ...]:
    """(km to its centre, cell id) for each cell centred inside the radius, nearest first.

    A request is placed at its cell's centre before anything is measured, so these are
    exactly the cells that can hold a request inside the circle; ties break by cell id.
    """
    found = []
    for cell in cells_within(lat, lng, radius_km):
        centre_lat, centre_lng = cell_centre(cell)
        km = haversine_km(lat, lng, centre_lat, centre_lng)
        if km <= radius_km:
            found.append((km, cell))
    return tuple(sorted(found))


def distance_band(km: float) -> str:
    """The band code for a distance: under_1km, 1_3km, 3_5km, 5_10km or over_10km."""
    for code, upper, _label in BANDS:
        if km < upper:
            return code
    return BANDS[-1][0]


def band_label(code: str) -> str:
    """English words for a band code, e.g. 'under 1 km' (the app translates)."""
    return _BAND_LABELS[code]
