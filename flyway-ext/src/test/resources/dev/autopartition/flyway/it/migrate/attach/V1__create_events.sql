CREATE TABLE events (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, payload text);
INSERT INTO events (created_at, payload)
SELECT '2022-01-01 00:00+00'::timestamptz + i * interval '1 hour', 'event ' || i FROM generate_series(0, 719) i;
