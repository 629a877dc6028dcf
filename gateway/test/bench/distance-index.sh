#!/usr/bin/env bash
# Measures the two ways issue 8 named to answer "offers within N km, nearest first" at 10k offers:
# (a) what the directory uses — a GiST index on point(longitude, latitude) for a bounding box, then
# the exact haversine distance; (b) PostgreSQL's cube + earthdistance (a GiST index on ll_to_earth,
# earth_box, earth_distance). It makes a throwaway database as the admin, prints the mean time per
# search of each over the same random centres, and drops the database. Not a test: run it by hand.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../infra/env.sh"
db="bench_distance_$$"
admin="${PGADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
trap 'psql -q "$admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
url="${admin%/*}/$db"
psql -q -v ON_ERROR_STOP=1 "$url" <<'SQL'
CREATE EXTENSION cube;
CREATE EXTENSION earthdistance;
\o /dev/null
SELECT setseed(0.42);
\o
-- 10,000 offers spread over England (50.0–55.5 N, 5.5 W–1.5 E).
CREATE TABLE offer AS
  SELECT g AS id, 50.0 + random() * 5.5 AS latitude, -5.5 + random() * 7.0 AS longitude FROM generate_series(1, 10000) g;
CREATE INDEX offer_point ON offer USING gist (point(longitude, latitude));
CREATE INDEX offer_earth ON offer USING gist (ll_to_earth(latitude, longitude));
ANALYZE offer;
CREATE TABLE centre AS SELECT 50.5 + random() * 4.5 AS lat, -4.5 + random() * 5.5 AS lon FROM generate_series(1, 300);

CREATE FUNCTION haversine_km(lat1 float8, lon1 float8, lat2 float8, lon2 float8) RETURNS float8 IMMUTABLE LANGUAGE sql AS $$
  SELECT 2 * 6371.0088 * asin(sqrt(sin(radians(lat2 - lat1) / 2) ^ 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2))
$$;

CREATE FUNCTION bench(kind text, km float8) RETURNS TABLE (method text, within_km float8, mean_ms numeric, rows_per_search numeric) LANGUAGE plpgsql AS $$
DECLARE c record; t0 timestamptz; n bigint := 0; total interval := '0';
BEGIN
  FOR c IN SELECT * FROM centre LOOP
    t0 := clock_timestamp();
    IF kind = 'haversine + GiST box' THEN
      -- degrees of latitude and longitude that km spans at this latitude
      n := n + (SELECT count(*) FROM (
        SELECT id FROM offer
        WHERE point(longitude, latitude) <@ box(point(c.lon - km / (111.32 * cos(radians(c.lat))), c.lat - km / 110.57),
                                               point(c.lon + km / (111.32 * cos(radians(c.lat))), c.lat + km / 110.57))
          AND haversine_km(c.lat, c.lon, latitude, longitude) <= km
        ORDER BY haversine_km(c.lat, c.lon, latitude, longitude) LIMIT 100) s);
    ELSE
      n := n + (SELECT count(*) FROM (
        SELECT id FROM offer
        WHERE earth_box(ll_to_earth(c.lat, c.lon), km * 1000) @> ll_to_earth(latitude, longitude)
          AND earth_distance(ll_to_earth(c.lat, c.lon), ll_to_earth(latitude, longitude)) <= km * 1000
        ORDER BY earth_distance(ll_to_earth(c.lat, c.lon), ll_to_earth(latitude, longitude)) LIMIT 100) s);
    END IF;
    total := total + (clock_timestamp() - t0);
  END LOOP;
  RETURN QUERY SELECT kind, km, round((extract(epoch FROM total) * 1000 / (SELECT count(*) FROM centre))::numeric, 3), round(n::numeric / (SELECT count(*) FROM centre), 1);
END $$;

\echo '10,000 offers, 300 random centres, at most 100 nearest per search:'
SELECT * FROM bench('haversine + GiST box', 10)
UNION ALL SELECT * FROM bench('earthdistance + GiST', 10)
UNION ALL SELECT * FROM bench('haversine + GiST box', 30)
UNION ALL SELECT * FROM bench('earthdistance + GiST', 30)
UNION ALL SELECT * FROM bench('haversine + GiST box', 30)
UNION ALL SELECT * FROM bench('earthdistance + GiST', 30);
SQL
