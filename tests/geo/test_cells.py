"""The ~500 m cell index: privacy points, Near-me cell lists and distance bands."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from neighborly.geo.cells import (
    CELL_KM,
    EARTH_RADIUS_KM,
    band_label,
    cell_bounds,
    cell_centre,
    cell_of,
    cells_within,
    columns,
    distance_band,
    haversine_km,
)

HALF_DIAGONAL_KM = CELL_KM * math.sqrt(2) / 2
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180

lats = st.floats(min_value=-75, max_value=75)
lngs = st.floats(min_value=-180, max_value=180)


def destination(lat: float, lng: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """The point reached by going km along a great circle at a bearing."""
    phi, lam, theta = math.radians(lat), math.radians(lng), math.radians(bearing_deg)
    delta = km / EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lam2) + 180) % 360 - 180


def cell_size_km(cell_id: int) -> tuple[float, float]:
    """Height and widest width of a cell in km."""
    south, west, north, east = cell_bounds(cell_id)
    equator_side = south if abs(south) < abs(north) else north
    return (
        haversine_km(south, west, north, west),
        haversine_km(equator_side, west, equator_side, east),
    )


def test_haversine_is_zero_for_one_point_and_a_degree_of_latitude_is_111_km():
    assert haversine_km(44.6, -63.6, 44.6, -63.6) == 0
    assert haversine_km(10, 20, 11, 20) == pytest.approx(KM_PER_DEGREE, rel=1e-12)
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.001)


def test_haversine_london_to_paris_is_about_344_km():
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=1)


@pytest.mark.parametrize("lat", [0.0, 0.001, -0.001, 30.0, 45.5, -45.5, 60.0, 70.0, -70.0])
def test_cells_are_about_500_m_square_from_equator_to_70_degrees(lat):
    height, width = cell_size_km(cell_of(lat, 12.3))
    assert height == pytest.approx(0.5, abs=0.001)
    assert 0.49 < width <= CELL_KM + 1e-9


def test_cells_near_the_pole_narrow_but_never_vanish():
    height, width = cell_size_km(cell_of(89.999, 0))
    assert height == pytest.approx(0.5, abs=0.001)
    assert 0.05 < width <= CELL_KM


def test_cell_ids_fit_a_signed_64_bit_column():
    corners = [cell_of(lat, lng) for lat in (-90, 0, 90) for lng in (-180, 0, 179.9999999)]
    assert all(0 <= cell < 2**63 for cell in corners)


def test_the_antimeridian_is_one_line_not_two_cells():
    assert cell_of(10, 180) == cell_of(10, -180)
    assert cell_of(10, 190) == cell_of(10, -170)


def test_unknown_cell_ids_and_latitudes_are_refused():
    with pytest.raises(ValueError):
        cell_centre(-1)
    with pytest.raises(ValueError):
        cell_centre(cell_of(0, 0) // 100_000 * 100_000 + 99_999)
    with pytest.raises(ValueError):
        cell_of(91, 0)


def test_cell_bounds_contain_the_centre():
    south, west, north, east = cell_bounds(cell_of(45.42, -75.69))
    lat, lng = cell_centre(cell_of(45.42, -75.69))
    assert south < lat < north and west < lng < east


@pytest.mark.parametrize("lat", [0.0, 45.0, 70.0, -33.9])
def test_cells_within_5_km_is_a_short_list(lat):
    cells = cells_within(lat, 10.0, 5.0)
    assert 300 < len(cells) <= 400
    assert cells == sorted(set(cells))


def test_cells_within_zero_radius_is_the_cell_itself():
    assert cells_within(45.42, -75.69, 0) == [cell_of(45.42, -75.69)]


def test_cells_within_reaches_across_the_antimeridian():
    cells = cells_within(10.0, 179.999, 1.0)
    assert cell_of(10.0, -179.999) in cells
    assert cell_of(10.0, 179.999) in cells


def test_cells_within_a_circle_around_a_pole_covers_the_whole_cap():
    cells = cells_within(89.999, 0, 1.0)
    assert cell_of(89.9999, 180) in cells
    assert cell_of(89.995, 90) in cells


def test_cells_within_catches_the_circle_bulging_into_a_cell_mid_row():
    lat, radius = cell_centre(cell_of(45.0, 0.0))[0], 5.0
    n = columns(cell_of(lat, 0.0) // 100_000)
    boundary = -180 + (n // 2 + 7) * 360 / n
    bulge = math.degrees(
        math.asin(math.sin(radius / EARTH_RADIUS_KM) / math.cos(math.radians(lat)))
    )
    lng = boundary - bulge + 2e-5  # the circle pokes ~1.5 m past a column edge
    widest_lat = math.degrees(
        math.asin(math.sin(math.radians(lat)) / math.cos(radius / EARTH_RADIUS_KM))
    )
    point = (widest_lat, boundary + 1e-5)
    assert haversine_km(lat, lng, *point) <= radius
    assert cell_of(*point) in cells_within(lat, lng, radius)


def test_negative_radius_is_refused():
    with pytest.raises(ValueError):
        cells_within(0, 0, -1)


@pytest.mark.parametrize(
    ("km", "code", "label"),
    [
        (0.0, "under_1km", "under 1 km"),
        (0.999, "under_1km", "under 1 km"),
        (1.0, "1_3km", "1-3 km"),
        (2.99, "1_3km", "1-3 km"),
        (3.0, "3_5km", "3-5 km"),
        (5.0, "5_10km", "5-10 km"),
        (9.99, "5_10km", "5-10 km"),
        (10.0, "over_10km", "over 10 km"),
        (250.0, "over_10km", "over 10 km"),
    ],
)
def test_distance_bands_and_their_words(km, code, label):
    assert distance_band(km) == code
    assert band_label(code) == label


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(min_value=-90, max_value=90), lng=lngs)
def test_the_centre_of_a_cell_lies_in_that_cell(lat, lng):
    cell = cell_of(lat, lng)
    assert cell_of(*cell_centre(cell)) == cell


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(min_value=-80, max_value=80), lng=lngs)
def test_the_public_centre_is_within_half_a_cell_diagonal_of_the_exact_point(lat, lng):
    centre_lat, centre_lng = cell_centre(cell_of(lat, lng))
    assert haversine_km(lat, lng, centre_lat, centre_lng) <= HALF_DIAGONAL_KM + 1e-3


@settings(max_examples=400, deadline=None)
@given(
    lat=lats,
    lng=lngs,
    radius=st.floats(min_value=0, max_value=10),
    fraction=st.floats(min_value=0, max_value=1),
    bearing=st.floats(min_value=0, max_value=360),
)
def test_cells_within_never_misses_a_point_inside_the_radius(lat, lng, radius, fraction, bearing):
    point = destination(lat, lng, radius * fraction, bearing)
    assume(haversine_km(lat, lng, *point) <= radius)
    assert cell_of(*point) in cells_within(lat, lng, radius)


@settings(max_examples=60, deadline=None)
@given(lat=lats, lng=lngs, radius=st.floats(min_value=0, max_value=6))
def test_cells_within_is_tight_every_cell_comes_near_the_circle(lat, lng, radius):
    for cell in cells_within(lat, lng, radius):
        centre = cell_centre(cell)
        assert haversine_km(lat, lng, *centre) <= radius + HALF_DIAGONAL_KM + 1e-3


def edge_points(cell_id: int, per_edge: int = 12) -> list[tuple[float, float]]:
    """Points spaced along the four edges of a cell, corners included."""
    south, west, north, east = cell_bounds(cell_id)
    steps = [i / per_edge for i in range(per_edge + 1)]
    lats_ = [south + (north - south) * t for t in steps]
    lngs_ = [west + (east - west) * t for t in steps]
    return (
        [(south, x) for x in lngs_]
        + [(north, x) for x in lngs_]
        + [(y, west) for y in lats_]
        + [(y, east) for y in lats_]
    )


@settings(max_examples=15, deadline=None)
@given(lat=lats, lng=lngs, radius=st.floats(min_value=0.1, max_value=3))
def test_cells_within_includes_every_cell_whose_edge_enters_the_circle(lat, lng, radius):
    cells = set(cells_within(lat, lng, radius))
    for cell in cells_within(lat, lng, radius + 1.0):
        if any(haversine_km(lat, lng, *p) <= radius for p in edge_points(cell)):
            assert cell in cells
