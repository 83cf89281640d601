"""Geocoding: offline ZIP centroids by default, Nominatim against a local stand-in."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from neighborly.geo.geocoding import (
    NominatimGeocoder,
    OfflineGeocoder,
    geocoder_from_config,
    postal_code_centroid,
)


def test_offline_geocoder_places_a_zip_code_at_its_centre():
    place = OfflineGeocoder().locate("1 Main St", "60153")
    assert place is not None and place.precision == "postal_code"
    assert abs(place.lat - 41.879) < 0.01 and abs(place.lng + 87.843) < 0.01


@pytest.mark.parametrize("code", ["", "ABCDE", "1234", "00000", "60153-12"])
def test_unknown_or_malformed_zip_codes_are_not_found(code):
    assert postal_code_centroid(code) is None


def test_zip_plus_four_uses_the_five_digit_code():
    assert postal_code_centroid("54201-1234") == postal_code_centroid("54201")


class StandIn(BaseHTTPRequestHandler):
    """A tiny local Nominatim: knows one street, counts its calls."""

    calls: list[dict] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        StandIn.calls.append(query)
        found = []
        if query.get("street", "").lower() == "4217 elmwood lane":
            found = [
                {
                    "lat": "41.8811",
                    "lon": "-87.8456",
                    "display_name": "stand-in",
                    "place_id": 1,
                    "boundingbox": ["41.88", "41.89", "-87.85", "-87.84"],
                }
            ]
        body = json.dumps(found).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Stay quiet."""


@pytest.fixture()
def stand_in():
    StandIn.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_nominatim_finds_a_street_address_and_caches_it(stand_in):
    geocoder = NominatimGeocoder(stand_in, "neighborly-tests", min_delay=0)
    first = geocoder.locate("4217 Elmwood Lane", "60153")
    second = geocoder.locate("4217 ELMWOOD LANE ", "60153")
    assert first == second and first.precision == "exact"
    assert (first.lat, first.lng) == (41.8811, -87.8456)
    assert len(StandIn.calls) == 1
    assert StandIn.calls[0]["postalcode"] == "60153" and StandIn.calls[0]["country"] == "us"


def test_nominatim_falls_back_to_the_zip_centre_when_the_street_is_unknown(stand_in):
    place = NominatimGeocoder(stand_in, "neighborly-tests", min_delay=0).locate(
        "9 Nowhere", "60153"
    )
    assert place == postal_code_centroid("60153")


def test_nominatim_falls_back_when_the_server_is_down():
    geocoder = NominatimGeocoder("http://127.0.0.1:9", "neighborly-tests", timeout=1, min_delay=0)
    assert geocoder.locate("4217 Elmwood Lane", "60153") == postal_code_centroid("60153")


def test_config_chooses_offline_by_default_and_nominatim_when_asked(stand_in):
    assert isinstance(geocoder_from_config({}), OfflineGeocoder)
    chosen = geocoder_from_config(
        {
            "GEOCODER": "nominatim",
            "NOMINATIM_URL": stand_in,
            "NOMINATIM_USER_AGENT": "t",
            "NOMINATIM_MIN_DELAY_SECONDS": 0,
        }
    )
    assert isinstance(chosen, NominatimGeocoder)
