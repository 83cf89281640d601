"""Turn an address into a point: offline postal-code centroids, or Nominatim in production."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import zipcodes

POSTAL_CODE = re.compile(r"^\d{5}(-\d{4})?$")


@dataclass(frozen=True)
class Place:
    """A located point and how precise it is."""

    lat: float
    lng: float
    precision: str  # "exact" (a typed or geocoded point) or "postal_code" (a centroid)


class Geocoder(Protocol):
    """Anything that can locate an address."""

    def locate(self, street: str, postal_code: str) -> Place | None:
        """Return the address's point, or None when it cannot be found."""


def postal_code_centroid(postal_code: str) -> Place | None:
    """The centre of a US ZIP code, from the offline zipcodes package."""
    code = postal_code.strip()
    if not POSTAL_CODE.match(code):
        return None
    return _zip_centroid(code[:5])


@lru_cache(maxsize=4096)
def _zip_centroid(zip5: str) -> Place | None:
    """One five-digit ZIP code's centre (the package scans its whole table: about 1 ms)."""
    try:
        found = zipcodes.matching(zip5)
    except (TypeError, ValueError):
        return None
    if not found:
        return None
    return Place(float(found[0]["lat"]), float(found[0]["long"]), "postal_code")


class OfflineGeocoder:
    """Locates an address by its postal code, with no network at all."""

    def locate(self, street: str, postal_code: str) -> Place | None:
        """The postal code's centroid; the street is not used offline."""
        return postal_code_centroid(postal_code)


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy, cached, falling back to the postal code."""

    def __init__(
        self, base_url: str, user_agent: str, timeout: float = 5.0, min_delay: float = 1.0
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        scheme, _sep, domain = base_url.partition("://")
        client = Nominatim(
            domain=domain.rstrip("/"), scheme=scheme, user_agent=user_agent, timeout=timeout
        )
        # Nominatim's usage policy: at most one request a second, and cache results.
        self._geocode = RateLimiter(
            client.geocode, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False
        )
        self._cached = lru_cache(maxsize=4096)(self._lookup)

    def _lookup(self, street: str, postal_code: str) -> tuple[float, float] | None:
        """Ask Nominatim once for a structured US address."""
        from geopy.exc import GeopyError

        try:
            found = self._geocode(
                {"street": street, "postalcode": postal_code, "country": "us"}, exactly_one=True
            )
        except GeopyError:
            return None
        return (found.latitude, found.longitude) if found else None

    def locate(self, street: str, postal_code: str) -> Place | None:
        """The street address's point, else the postal code's centre."""
        point = self._cached(street.strip().lower(), postal_code.strip())
        if point is not None:
            return Place(point[0], point[1], "exact")
        return postal_code_centroid(postal_code)


def geocoder_from_config(config: dict) -> Geocoder:
    """Build the geocoder the configuration names (offline by default)."""
    if config.get("GEOCODER") == "nominatim":
        return NominatimGeocoder(
            config["NOMINATIM_URL"],
            config["NOMINATIM_USER_AGENT"],
            min_delay=config.get("NOMINATIM_MIN_DELAY_SECONDS", 1.0),
        )
    return OfflineGeocoder()
