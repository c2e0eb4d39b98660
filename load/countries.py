"""The countries reference table, filled from ISO 3166 (pycountry) with CLDR's Arabic names
(Babel), so that no country name is typed by hand."""
from __future__ import annotations

import pycountry
import psycopg2.extensions
from babel import Locale
from psycopg2.extras import execute_values


def country_rows() -> list[tuple[str, str, str]]:
    """(alpha-3, Arabic name, English name) for every ISO 3166-1 country."""
    arabic = Locale("ar").territories
    rows = []
    for country in pycountry.countries:
        name_en = getattr(country, "common_name", None) or country.name
        rows.append((country.alpha_3, arabic.get(country.alpha_2, name_en), name_en))
    return rows


def sync_countries(conn: psycopg2.extensions.connection) -> int:
    with conn.cursor() as cur:
        execute_values(
            cur,
            "INSERT INTO akhbar.countries (country_code, name_ar, name_en) VALUES %s"
            " ON CONFLICT (country_code) DO UPDATE"
            " SET name_ar = EXCLUDED.name_ar, name_en = EXCLUDED.name_en"
            " WHERE (countries.name_ar, countries.name_en)"
            " IS DISTINCT FROM (EXCLUDED.name_ar, EXCLUDED.name_en)",
            country_rows(),
        )
        changed = cur.rowcount
    conn.commit()
    return changed
