-- The engine's planning in SQL: the same grid, names and planning rules as the Java classes Grid, PartitionNamer and
-- Planner, for the in-database maintenance procedure and the status views. Key values are bigints in the key type's
-- unit, as in KeyType: microseconds since the epoch (timestamptz; timestamp read as UTC), days since the epoch (date),
-- the number itself (integers). @catalog@ is the catalog schema, quoted. Statements are separated by a line "--//".
-- Changing anything here needs a new catalog version, so installed catalogs pick it up.

--//
CREATE TYPE @catalog@.partition_row AS (
  oid oid, schema_name text, partition_name text, is_default boolean, is_range boolean,
  lower_bound bigint, upper_bound bigint, detach_pending boolean)
--//
CREATE TYPE @catalog@.planned_step AS (
  ord int, kind text, partition_schema text, partition_name text, lower_bound bigint, upper_bound bigint,
  reuse_pending boolean, detach text, action text, target_schema text, description text, move_table boolean,
  indexes text[])
--//
-- An increment as stored ("1 day", "3 months", "6 hours", "100000"): its unit and count.
CREATE FUNCTION @catalog@._increment(p_increment text, OUT unit text, OUT n bigint)
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN m[2] IS NULL OR m[2] = '' THEN 'number' ELSE rtrim(m[2], 's') END, m[1]::bigint
    FROM regexp_match(lower(btrim(p_increment)), '^(\d+)\s*([a-z]*)$') AS m
$$
--//
-- Wall-clock time of a key value in a zone. Fixed offsets ("+01:00", as Java writes them) are applied as ISO
-- offsets: PostgreSQL would read "+01:00" as a POSIX zone, west of Greenwich.
CREATE FUNCTION @catalog@._to_local(p_value bigint, p_type text, p_zone text) RETURNS timestamp
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  IF p_type = 'date' THEN
    RETURN (DATE '1970-01-01' + p_value::int)::timestamp;
  ELSIF p_type = 'timestamp' THEN
    RETURN TIMESTAMP '1970-01-01' + p_value * INTERVAL '1 microsecond';
  ELSIF p_zone ~ '^[+-]\d\d:\d\d(:\d\d)?$' THEN
    RETURN (TIMESTAMPTZ '1970-01-01 00:00:00+00' + p_value * INTERVAL '1 microsecond') AT TIME ZONE 'UTC'
           + p_zone::interval;
  ELSIF p_zone = 'Z' THEN
    RETURN (TIMESTAMPTZ '1970-01-01 00:00:00+00' + p_value * INTERVAL '1 microsecond') AT TIME ZONE 'UTC';
  END IF;
  RETURN (TIMESTAMPTZ '1970-01-01 00:00:00+00' + p_value * INTERVAL '1 microsecond') AT TIME ZONE p_zone;
END
$$
--//
-- The key value of a wall-clock time in a zone. A time that falls twice (when clocks go back) means the earlier
-- instant, and a time that does not exist (when clocks go forward) is moved later by the gap, as java.time does.
CREATE FUNCTION @catalog@._from_local(p_local timestamp, p_type text, p_zone text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  t timestamptz;
  earlier timestamptz;
BEGIN
  IF p_type = 'date' THEN
    RETURN p_local::date - DATE '1970-01-01';
  ELSIF p_type = 'timestamp' THEN
    RETURN (extract(epoch FROM p_local) * 1000000)::bigint;
  ELSIF p_zone ~ '^[+-]\d\d:\d\d(:\d\d)?$' THEN
    t := (p_local - p_zone::interval) AT TIME ZONE 'UTC';
  ELSIF p_zone = 'Z' THEN
    t := p_local AT TIME ZONE 'UTC';
  ELSE
    t := p_local AT TIME ZONE p_zone;
    -- PostgreSQL reads an ambiguous time with the offset that follows the change; java.time takes the earlier one
    earlier := (p_local - (((t - INTERVAL '6 hours') AT TIME ZONE p_zone) - ((t - INTERVAL '6 hours') AT TIME ZONE 'UTC')))
               AT TIME ZONE 'UTC';
    IF earlier < t AND (earlier AT TIME ZONE p_zone) = p_local THEN
      t := earlier;
    END IF;
  END IF;
  RETURN (extract(epoch FROM t) * 1000000)::bigint;
END
$$
--//
-- The key value of a wall-clock grid bound (Grid.bound): as _from_local, except that a time that does not exist (the
-- clocks jump over it) means the instant of the jump, so bounds stay in order and a period wholly inside a jump (the
-- hour skipped in spring, the 30th of December 2011 in Samoa) is an empty slot. PostgreSQL reads such a time with the
-- offset before the jump, which lands after the jump by as much as the time lies inside it; the jump itself is found
-- by halving, to the second (zone transitions fall on whole seconds).
CREATE FUNCTION @catalog@._bound_from_local(p_local timestamp, p_type text, p_zone text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  t timestamptz;
  lo bigint;
  hi bigint;
  mid bigint;
BEGIN
  IF p_type <> 'timestamptz' OR p_zone = 'Z' OR p_zone ~ '^[+-]\d\d:\d\d(:\d\d)?$' THEN
    RETURN @catalog@._from_local(p_local, p_type, p_zone);
  END IF;
  t := p_local AT TIME ZONE p_zone;
  IF (t AT TIME ZONE p_zone) <= p_local THEN
    RETURN @catalog@._from_local(p_local, p_type, p_zone); -- it exists (once or twice)
  END IF;
  -- the clocks jumped by (t AT TIME ZONE p_zone) - p_local at some instant in (t - that, t]: the first instant whose
  -- wall-clock time is later than p_local
  hi := ceil(extract(epoch FROM t));
  lo := floor(extract(epoch FROM t) - extract(epoch FROM (t AT TIME ZONE p_zone) - p_local));
  WHILE hi - lo > 1 LOOP
    mid := lo + (hi - lo) / 2;
    IF (to_timestamp(mid) AT TIME ZONE p_zone) > p_local THEN
      hi := mid;
    ELSE
      lo := mid;
    END IF;
  END LOOP;
  RETURN hi * 1000000;
END
$$
--//
-- The key value of an instant, seen in the table's zone.
CREATE FUNCTION @catalog@._from_instant(p_instant timestamptz, p_type text, p_zone text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN p_type = 'timestamptz' THEN (extract(epoch FROM p_instant) * 1000000)::bigint
              ELSE @catalog@._from_local(@catalog@._to_local((extract(epoch FROM p_instant) * 1000000)::bigint,
                                                             'timestamptz', p_zone), p_type, p_zone) END
$$
--//
-- A key value as an explicitly typed literal that means the same in every session time zone (KeyType.literal).
CREATE FUNCTION @catalog@._literal(p_value bigint, p_type text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE p_type
    WHEN 'timestamptz' THEN quote_literal(to_char(TIMESTAMP '1970-01-01' + p_value * INTERVAL '1 microsecond',
                                                  'YYYY-MM-DD HH24:MI:SS.US') || '+00') || '::timestamptz'
    WHEN 'timestamp' THEN quote_literal(to_char(TIMESTAMP '1970-01-01' + p_value * INTERVAL '1 microsecond',
                                                'YYYY-MM-DD HH24:MI:SS.US')) || '::timestamp'
    WHEN 'date' THEN quote_literal(to_char(DATE '1970-01-01' + p_value::int, 'YYYY-MM-DD')) || '::date'
    ELSE p_value::text END
$$
--//
-- A key value as a person reads it (KeyType.display): wall-clock time in the zone, with its offset for timestamptz.
CREATE FUNCTION @catalog@._display(p_value bigint, p_type text, p_zone text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  local timestamp;
  offset_seconds int;
BEGIN
  IF p_type NOT IN ('timestamptz', 'timestamp', 'date') THEN
    RETURN p_value::text;
  ELSIF p_type = 'date' THEN
    RETURN to_char(DATE '1970-01-01' + p_value::int, 'YYYY-MM-DD');
  END IF;
  local := @catalog@._to_local(p_value, p_type, p_zone);
  IF p_type = 'timestamp' THEN
    RETURN to_char(local, 'YYYY-MM-DD HH24:MI:SS');
  END IF;
  offset_seconds := extract(epoch FROM local - (TIMESTAMP '1970-01-01' + p_value * INTERVAL '1 microsecond'))::int;
  RETURN to_char(local, 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN offset_seconds < 0 THEN '-' ELSE '+' END
         || to_char(make_interval(secs => abs(offset_seconds)), 'HH24:MI');
END
$$
--//
-- The lower bound of grid slot p_slot (Grid.lower).
CREATE FUNCTION @catalog@._lower(p_slot bigint, p_type text, p_increment text, p_origin bigint, p_zone text)
RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  inc record := @catalog@._increment(p_increment);
  days bigint;
BEGIN
  IF inc.unit = 'number' THEN
    RETURN p_origin + p_slot * inc.n;
  ELSIF inc.unit = 'hour' AND p_type = 'timestamp' THEN
    RETURN p_origin + p_slot * inc.n * 3600000000;
  ELSIF inc.unit = 'hour' THEN
    -- wall-clock hours, as days: bounds stay on local hour starts whatever the zone's offset does
    RETURN @catalog@._bound_from_local(@catalog@._to_local(p_origin, p_type, p_zone)
                                       + make_interval(hours => (p_slot * inc.n)::int), p_type, p_zone);
  ELSIF inc.unit = 'month' THEN
    RETURN @catalog@._bound_from_local(@catalog@._to_local(p_origin, p_type, p_zone)
                                       + make_interval(months => (p_slot * inc.n)::int), p_type, p_zone);
  END IF;
  days := p_slot * inc.n * CASE WHEN inc.unit = 'week' THEN 7 ELSE 1 END;
  IF p_type = 'date' THEN
    RETURN p_origin + days;
  ELSIF p_type = 'timestamp' THEN
    RETURN p_origin + days * 86400000000;
  END IF;
  RETURN @catalog@._bound_from_local(@catalog@._to_local(p_origin, p_type, p_zone) + make_interval(days => days::int),
                                     p_type, p_zone);
END
$$
--//
-- The grid slot that holds a value (Grid.slotOf): an estimate, then corrected.
CREATE FUNCTION @catalog@._slot_of(p_value bigint, p_type text, p_increment text, p_origin bigint, p_zone text)
RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  inc record := @catalog@._increment(p_increment);
  slot bigint;
  a date;
  b date;
BEGIN
  IF inc.unit = 'number' THEN
    slot := floor((p_value - p_origin)::numeric / inc.n);
  ELSIF inc.unit = 'hour' THEN
    slot := floor(extract(epoch FROM @catalog@._to_local(p_value, p_type, p_zone)
                                     - @catalog@._to_local(p_origin, p_type, p_zone)) / (inc.n * 3600));
  ELSE
    a := @catalog@._to_local(p_origin, p_type, p_zone)::date;
    b := @catalog@._to_local(p_value, p_type, p_zone)::date;
    IF inc.unit = 'month' THEN
      slot := floor(((extract(year FROM b) * 12 + extract(month FROM b))
                     - (extract(year FROM a) * 12 + extract(month FROM a))) / inc.n);
    ELSE
      slot := floor((b - a)::numeric / (inc.n * CASE WHEN inc.unit = 'week' THEN 7 ELSE 1 END));
    END IF;
  END IF;
  WHILE @catalog@._lower(slot, p_type, p_increment, p_origin, p_zone) > p_value LOOP
    slot := slot - 1;
  END LOOP;
  WHILE @catalog@._lower(slot + 1, p_type, p_increment, p_origin, p_zone) <= p_value LOOP
    slot := slot + 1;
  END LOOP;
  RETURN slot;
END
$$
--//
-- A name cut to at most p_max bytes of UTF-8 without splitting a character (Sql.truncateToBytes).
CREATE FUNCTION @catalog@._truncate_bytes(p_name text, p_max int) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  result text := '';
  c text;
BEGIN
  IF octet_length(p_name) <= p_max THEN
    RETURN p_name;
  END IF;
  FOREACH c IN ARRAY regexp_split_to_array(p_name, '') LOOP
    EXIT WHEN octet_length(result) + octet_length(c) > p_max;
    result := result || c;
  END LOOP;
  RETURN result;
END
$$
--//
-- prefix || base || rest within 63 bytes, shortening only the base: a prefix of it and a short hash of all of it.
CREATE FUNCTION @catalog@._fit(p_prefix text, p_base text, p_rest text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  room int := 63 - octet_length(p_prefix) - octet_length(p_rest);
BEGIN
  IF octet_length(p_base) <= room THEN
    RETURN p_prefix || p_base || p_rest;
  END IF;
  RETURN p_prefix || @catalog@._truncate_bytes(p_base, greatest(0, room - 7)) || '_'
         || left(encode(sha256(convert_to(p_base, 'UTF8')), 'hex'), 6) || p_rest;
END
$$
--//
-- One date token of a naming pattern (the java.time pattern letters for numbers: y, u, M, d, H, m, s; quoted text).
CREATE FUNCTION @catalog@._format_date(p_token text, p_local timestamp) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  out text := '';
  i int := 1;
  len int := length(p_token);
  c text;
  run int;
  v int;
BEGIN
  WHILE i <= len LOOP
    c := substr(p_token, i, 1);
    IF c = '''' THEN
      IF substr(p_token, i + 1, 1) = '''' THEN
        out := out || '''';
        i := i + 2;
        CONTINUE;
      END IF;
      i := i + 1;
      WHILE i <= len LOOP
        IF substr(p_token, i, 1) = '''' THEN
          IF substr(p_token, i + 1, 1) = '''' THEN
            out := out || '''';
            i := i + 2;
            CONTINUE;
          END IF;
          EXIT;
        END IF;
        out := out || substr(p_token, i, 1);
        i := i + 1;
      END LOOP;
      i := i + 1;
      CONTINUE;
    END IF;
    IF c !~ '[A-Za-z]' THEN
      out := out || c;
      i := i + 1;
      CONTINUE;
    END IF;
    run := 1;
    WHILE substr(p_token, i + run, 1) = c LOOP
      run := run + 1;
    END LOOP;
    IF c IN ('y', 'u') THEN
      v := extract(year FROM p_local);
      -- lpad would also cut a longer number: pad only
      out := out || CASE WHEN run = 2 THEN lpad((v % 100)::text, 2, '0')
                         ELSE repeat('0', greatest(run - length(v::text), 0)) || v END;
    ELSIF c IN ('M', 'd', 'H', 'm', 's') AND run <= 2 THEN
      v := floor(date_part(CASE c WHEN 'M' THEN 'month' WHEN 'd' THEN 'day' WHEN 'H' THEN 'hour'
                                  WHEN 'm' THEN 'minute' ELSE 'second' END, p_local));
      out := out || repeat('0', greatest(run - length(v::text), 0)) || v;
    ELSE
      RAISE EXCEPTION 'The naming pattern letter % (in {%}) is not supported by in-database maintenance', repeat(c, run), p_token
        USING HINT = 'Use y, M, d, H, m and s (for example {yyyyMMdd}), or let the Java maintainer manage this table.';
    END IF;
    i := i + run;
  END LOOP;
  RETURN out;
END
$$
--//
-- The name for a partition starting at p_lower (PartitionNamer.render).
CREATE FUNCTION @catalog@._render_name(p_pattern text, p_table text, p_lower bigint, p_local timestamp,
                                       p_suffix text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  literals text[] := regexp_split_to_array(p_pattern, '\{[^{}]+\}');
  tokens text[] := ARRAY(SELECT m[1] FROM regexp_matches(p_pattern, '\{([^{}]+)\}', 'g') AS m);
  before text := '';
  after text := '';
  table_seen boolean := false;
  piece text;
BEGIN
  FOR i IN 1 .. coalesce(array_length(tokens, 1), 0) LOOP
    piece := literals[i];
    IF tokens[i] = 'table' THEN
      IF table_seen THEN after := after || piece; ELSE before := before || piece; END IF;
      table_seen := true;
      CONTINUE;
    ELSIF tokens[i] = 'lower' THEN
      piece := piece || p_lower::text;
    ELSIF p_local IS NOT NULL THEN
      piece := piece || @catalog@._format_date(tokens[i], p_local);
    END IF;
    IF table_seen THEN after := after || piece; ELSE before := before || piece; END IF;
  END LOOP;
  piece := coalesce(literals[coalesce(array_length(tokens, 1), 0) + 1], '') || p_suffix;
  IF NOT table_seen THEN
    RETURN @catalog@._truncate_bytes(before || piece, 63);
  END IF;
  RETURN @catalog@._fit(before, p_table, after || piece);
END
$$
--//
-- The default naming pattern of an increment (PartitionNamer.defaultPattern).
CREATE FUNCTION @catalog@._default_pattern(p_increment text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE (@catalog@._increment(p_increment)).unit
    WHEN 'hour' THEN '{table}_p{yyyyMMdd_HHmm}' WHEN 'month' THEN '{table}_p{yyyyMM}'
    WHEN 'number' THEN '{table}_p{lower}' ELSE '{table}_p{yyyyMMdd}' END
$$
--//
-- Whether a relation of that name exists in the schema, or this run already chose the name.
CREATE FUNCTION @catalog@._name_taken(p_schema text, p_name text, p_reserved text[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT p_name = ANY (coalesce(p_reserved, '{}'))
      OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = p_schema AND c.relname = p_name)
$$
--//
-- A partition's live name, unique in its schema (PartitionNamer.name and defaultName).
CREATE FUNCTION @catalog@._partition_name(p_rule @catalog@.managed_table, p_lower bigint, p_reserved text[])
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  pattern text := coalesce(p_rule.naming_pattern, @catalog@._default_pattern(p_rule.increment));
  local timestamp;
  name text;
  i int := 2;
BEGIN
  IF p_lower IS NULL THEN
    name := @catalog@._fit('', p_rule.table_name, '_default');
    WHILE @catalog@._name_taken(p_rule.schema_name, name, p_reserved) LOOP
      name := @catalog@._fit('', p_rule.table_name, '_default_' || i);
      i := i + 1;
    END LOOP;
    RETURN name;
  END IF;
  IF p_rule.key_type IN ('timestamptz', 'timestamp', 'date') THEN
    local := @catalog@._to_local(p_lower, p_rule.key_type, p_rule.time_zone);
  END IF;
  name := @catalog@._render_name(pattern, p_rule.table_name, p_lower, local, '');
  WHILE @catalog@._name_taken(p_rule.schema_name, name, p_reserved) LOOP
    name := @catalog@._render_name(pattern, p_rule.table_name, p_lower, local, '_' || i);
    i := i + 1;
  END LOOP;
  RETURN name;
END
$$
--//
-- A value as a user writes it (KeyType.parse): 2022-01-31, 2022-01-31 13:00[:00[.1]][+01:00] or a whole number.
CREATE FUNCTION @catalog@._parse_key(p_text text, p_type text, p_zone text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  IF p_type NOT IN ('timestamptz', 'timestamp', 'date') THEN
    RETURN btrim(p_text)::bigint;
  ELSIF btrim(p_text) ~ '\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|[+-]\d\d(:?\d\d)?)$' THEN
    RETURN @catalog@._from_instant(btrim(p_text)::timestamptz, p_type, p_zone);
  END IF;
  RETURN @catalog@._from_local(btrim(p_text)::timestamp, p_type, p_zone);
END
$$
--//
CREATE FUNCTION @catalog@._bound_value(p_text text, p_type text) RETURNS bigint
LANGUAGE sql STABLE STRICT AS $$
  SELECT CASE p_type
    WHEN 'timestamptz' THEN (extract(epoch FROM p_text::timestamptz) * 1000000)::bigint
    WHEN 'timestamp' THEN (extract(epoch FROM p_text::timestamp) * 1000000)::bigint
    WHEN 'date' THEN (p_text::date - DATE '1970-01-01')::bigint
    ELSE p_text::bigint END
$$
--//
-- The live partitions of a managed table. Bounds of partitions the engine recorded come from its catalog (matched by
-- OID), the others are read back from pg_get_expr in this session, so DateStyle and TimeZone cancel out.
CREATE FUNCTION @catalog@._partitions(p_rule @catalog@.managed_table) RETURNS SETOF @catalog@.partition_row
LANGUAGE sql STABLE AS $$
  SELECT c.oid, n.nspname::text, c.relname::text,
         coalesce(mp.is_default, e.expr = 'DEFAULT'),
         CASE WHEN mp.partition_oid IS NOT NULL THEN NOT mp.is_default ELSE r.m IS NOT NULL END,
         CASE WHEN mp.partition_oid IS NOT NULL THEN mp.lower_bound
              WHEN r.m IS NULL OR r.m[1] IN ('MINVALUE', '''-infinity''') THEN NULL
              ELSE @catalog@._bound_value(btrim(r.m[1], ''''), p_rule.key_type) END,
         CASE WHEN mp.partition_oid IS NOT NULL THEN mp.upper_bound
              WHEN r.m IS NULL OR r.m[2] IN ('MAXVALUE', '''infinity''') THEN NULL
              ELSE @catalog@._bound_value(btrim(r.m[2], ''''), p_rule.key_type) END,
         i.inhdetachpending
    FROM pg_catalog.pg_inherits i
    JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN @catalog@.managed_partition mp
           ON mp.partition_oid = c.oid AND mp.managed_table_id = p_rule.id AND mp.state = 'attached'
          AND (mp.is_default OR mp.lower_bound IS NOT NULL OR mp.upper_bound IS NOT NULL)
    CROSS JOIN LATERAL (SELECT CASE WHEN mp.partition_oid IS NULL
                                    THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS expr) e
    CROSS JOIN LATERAL (SELECT pg_catalog.regexp_match(e.expr, '^FOR VALUES FROM \((.*)\) TO \((.*)\)$') AS m) r
   WHERE i.inhparent = p_rule.table_oid
   ORDER BY c.oid
$$
--//
-- The current position in key units (Planner.position): the clock for time keys, the largest key otherwise.
CREATE FUNCTION @catalog@._position(p_rule @catalog@.managed_table, p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  max_key bigint;
BEGIN
  IF p_rule.key_type IN ('timestamptz', 'timestamp', 'date') THEN
    RETURN @catalog@._from_instant(p_now, p_rule.key_type, p_rule.time_zone);
  END IF;
  EXECUTE format('SELECT max(%I)::bigint FROM %s', p_rule.key_column, p_rule.table_oid::regclass) INTO max_key;
  IF max_key IS NOT NULL THEN
    RETURN max_key;
  END IF;
  RETURN coalesce(@catalog@._parse_key(p_rule.initial_lower_bound, p_rule.key_type, p_rule.time_zone), p_rule.origin);
END
$$
--//
-- A retention period ("90 days", "1 year 6 months", "2 quarters") as an interval of months, days and hours.
CREATE FUNCTION @catalog@._retention_interval(p_retention text) RETURNS interval
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT make_interval(
    months => coalesce(sum(m[1]::int * CASE rtrim(m[2], 's') WHEN 'month' THEN 1 WHEN 'quarter' THEN 3
                                                              WHEN 'year' THEN 12 ELSE 0 END), 0)::int,
    days => coalesce(sum(m[1]::int * CASE rtrim(m[2], 's') WHEN 'day' THEN 1 WHEN 'week' THEN 7 ELSE 0 END), 0)::int,
    hours => coalesce(sum(m[1]::int * CASE rtrim(m[2], 's') WHEN 'hour' THEN 1 ELSE 0 END), 0)::int)
    FROM regexp_matches(lower(p_retention), '(\d+)\s*([a-z]+)', 'g') AS m
$$
--//
-- Where creation counts advance partitions from (Planner.creationPosition): the value of the rule's autocreate
-- expression when it has one and it is not NULL, else the position. A STABLE function runs its queries read-only, so
-- the expression cannot change data; a value of another time type is converted as KeyType.convertFrom does.
CREATE FUNCTION @catalog@._creation_position(p_rule @catalog@.managed_table, p_position bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  value_type text;
  value_text text;
  is_time boolean := p_rule.key_type IN ('timestamptz', 'timestamp', 'date');
BEGIN
  IF p_rule.autocreate_expression IS NULL THEN
    RETURN p_position;
  END IF;
  EXECUTE format('SELECT pg_catalog.pg_typeof(v)::text, v::text FROM (SELECT (%s) AS v) AS autocreate',
                 p_rule.autocreate_expression) INTO value_type, value_text;
  IF value_text IS NULL THEN
    RETURN p_position;
  ELSIF is_time AND value_type = 'timestamp with time zone' THEN
    RETURN @catalog@._from_instant(value_text::timestamptz, p_rule.key_type, p_rule.time_zone);
  ELSIF is_time AND value_type IN ('timestamp without time zone', 'date') THEN
    RETURN @catalog@._from_local(value_text::timestamp, p_rule.key_type, p_rule.time_zone);
  ELSIF NOT is_time AND value_type IN ('smallint', 'integer', 'bigint') THEN
    RETURN value_text::bigint;
  END IF;
  RAISE EXCEPTION 'The autocreate expression of %.% (%) returns %, which does not fit its % key',
    quote_ident(p_rule.schema_name), quote_ident(p_rule.table_name), p_rule.autocreate_expression, value_type,
    p_rule.key_type
    USING HINT = CASE WHEN is_time THEN 'Return timestamptz, timestamp or date, or cast the result.'
                      ELSE 'Return smallint, integer or bigint, or cast the result.' END;
END
$$
--//
-- The key value at and before which partitions are past retention, or NULL (Planner.retentionCutoff).
CREATE FUNCTION @catalog@._retention_cutoff(p_rule @catalog@.managed_table, p_position bigint, p_now timestamptz)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
  local timestamp;
  part text[];
BEGIN
  IF p_rule.retention IS NULL THEN
    RETURN NULL;
  ELSIF p_rule.key_type NOT IN ('timestamptz', 'timestamp', 'date') THEN
    RETURN p_position - btrim(p_rule.retention)::bigint;
  END IF;
  local := @catalog@._to_local(@catalog@._from_instant(p_now, p_rule.key_type, p_rule.time_zone), p_rule.key_type,
                               p_rule.time_zone);
  -- PostgreSQL subtracts the months first, then the days, then the hours, as Interval.before does
  local := local - @catalog@._retention_interval(p_rule.retention);
  RETURN @catalog@._from_local(local, p_rule.key_type, p_rule.time_zone);
END
$$
--//
-- Whole slots after the current one covered up to p_newest_upper; -1 when the current one is not (Planner.advance).
CREATE FUNCTION @catalog@._advance(p_rule @catalog@.managed_table, p_newest_upper bigint, p_current bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_newest_upper <= @catalog@._lower(p_current, p_rule.key_type, p_rule.increment, p_rule.origin, p_rule.time_zone)
      THEN -1
    WHEN p_newest_upper < @catalog@._lower(p_current + 1, p_rule.key_type, p_rule.increment, p_rule.origin,
                                           p_rule.time_zone) THEN 0
    ELSE @catalog@._slot_of(p_newest_upper - 1, p_rule.key_type, p_rule.increment, p_rule.origin, p_rule.time_zone)
         - p_current END
$$
--//
-- What maintenance of one table does now, in order (Planner.plan), for a maintainer that cannot detach
-- concurrently: a procedure runs inside transactions.
CREATE FUNCTION @catalog@._plan(p_rule @catalog@.managed_table, p_now timestamptz)
RETURNS SETOF @catalog@.planned_step LANGUAGE plpgsql STABLE AS $$
DECLARE
  r @catalog@.managed_table := p_rule;
  parts @catalog@.partition_row[] := ARRAY(SELECT p FROM @catalog@._partitions(p_rule) p);
  is_time boolean := r.key_type IN ('timestamptz', 'timestamp', 'date');
  default_part @catalog@.partition_row;
  reserved text[] := '{}';
  step @catalog@.planned_step;
  ord int := 0;
  pos bigint;
  cur bigint;
  last_slot bigint;
  first_slot bigint;
  slot bigint;
  newest_upper bigint;
  cutoff bigint;
  lo bigint;
  hi bigint;
  initial bigint;
  newest_created bigint := NULL;
  newest bigint;
  pending record;
  name text;
  has_default boolean;
  tier_cutoff bigint;
  p record;
BEGIN
  IF r.key_type NOT IN ('timestamptz', 'timestamp', 'date', 'int2', 'int4', 'int8') THEN
    RAISE EXCEPTION 'In-database maintenance cannot maintain %.%: its % key is not supported there',
      quote_ident(r.schema_name), quote_ident(r.table_name), r.key_type
      USING HINT = 'Maintain it with the Java maintainer (maintain(), the scheduler, the CLI).';
  END IF;
  SELECT * INTO default_part FROM unnest(parts) x WHERE x.is_default LIMIT 1;
  IF r.default_partition AND default_part.oid IS NULL THEN
    SELECT mp.schema_name, mp.partition_name INTO pending FROM @catalog@.managed_partition mp
     WHERE mp.managed_table_id = r.id AND mp.is_default AND mp.state = 'pending'
       AND to_regclass(format('%I.%I', mp.schema_name, mp.partition_name)) IS NOT NULL LIMIT 1;
    ord := ord + 1;
    IF pending.partition_name IS NOT NULL THEN
      step := (ord, 'default', pending.schema_name, pending.partition_name, NULL, NULL, true, NULL, NULL, NULL, NULL, NULL, NULL);
    ELSE
      name := @catalog@._partition_name(r, NULL, reserved);
      reserved := reserved || name;
      step := (ord, 'default', r.schema_name, name, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL);
    END IF;
    step.description := format('create partition %s of %s DEFAULT', format('%I.%I', step.partition_schema,
                               step.partition_name), format('%I.%I', r.schema_name, r.table_name));
    RETURN NEXT step;
  END IF;
  pos := @catalog@._position(r, p_now);
  cutoff := @catalog@._retention_cutoff(r, pos, p_now);
  -- creations
  IF NOT EXISTS (SELECT 1 FROM unnest(parts) x WHERE x.is_range AND NOT x.detach_pending AND x.upper_bound IS NULL)
  THEN
    cur := @catalog@._slot_of(@catalog@._creation_position(r, pos), r.key_type, r.increment, r.origin,
                              r.time_zone);
    last_slot := cur + r.max_advance;
    SELECT max(x.upper_bound) INTO newest_upper FROM unnest(parts) x WHERE x.is_range AND NOT x.detach_pending;
    IF newest_upper IS NULL THEN
      initial := @catalog@._parse_key(r.initial_lower_bound, r.key_type, r.time_zone);
      first_slot := CASE WHEN initial IS NULL THEN cur
                         ELSE least(@catalog@._slot_of(initial, r.key_type, r.increment, r.origin, r.time_zone), cur) END;
    ELSIF @catalog@._advance(r, newest_upper, cur) >= r.min_advance THEN
      first_slot := NULL;
    ELSE
      first_slot := @catalog@._slot_of(newest_upper, r.key_type, r.increment, r.origin, r.time_zone);
    END IF;
    IF first_slot IS NOT NULL THEN
      IF cutoff IS NOT NULL THEN
        -- retention would remove the slots that end at or before the cut-off at once: start with the one holding it
        first_slot := greatest(first_slot, @catalog@._slot_of(cutoff, r.key_type, r.increment, r.origin, r.time_zone));
      END IF;
      IF last_slot - first_slot + 1 > 10000 THEN
        RAISE EXCEPTION 'Maintenance of %.% would create % partitions at once (from %)',
          quote_ident(r.schema_name), quote_ident(r.table_name), last_slot - first_slot + 1,
          @catalog@._display(@catalog@._lower(first_slot, r.key_type, r.increment, r.origin, r.time_zone),
                             r.key_type, r.time_zone)
          USING HINT = format('Check the key values and the increment (%s), or set an initial lower bound closer to'
                              ' the data.', r.increment);
      END IF;
      slot := first_slot - 1;
      WHILE slot < last_slot LOOP
        slot := slot + 1;
        lo := @catalog@._lower(slot, r.key_type, r.increment, r.origin, r.time_zone);
        hi := @catalog@._lower(slot + 1, r.key_type, r.increment, r.origin, r.time_zone);
        CONTINUE WHEN lo >= hi; -- a period the zone's clocks jump over (a skipped day or hour) holds nothing
        CONTINUE WHEN EXISTS (SELECT 1 FROM unnest(parts) x WHERE x.is_range AND NOT x.detach_pending
                                AND (x.lower_bound IS NULL OR x.lower_bound < hi)
                                AND (x.upper_bound IS NULL OR x.upper_bound > lo));
        SELECT mp.schema_name, mp.partition_name INTO pending FROM @catalog@.managed_partition mp
         WHERE mp.managed_table_id = r.id AND mp.state = 'pending' AND NOT mp.is_default
           AND mp.lower_bound = lo AND mp.upper_bound = hi
           AND to_regclass(format('%I.%I', mp.schema_name, mp.partition_name)) IS NOT NULL LIMIT 1;
        ord := ord + 1;
        IF pending.partition_name IS NOT NULL THEN
          step := (ord, 'create', pending.schema_name, pending.partition_name, lo, hi, true, NULL, NULL, NULL, NULL, NULL, NULL);
        ELSE
          name := @catalog@._partition_name(r, lo, reserved);
          reserved := reserved || name;
          step := (ord, 'create', r.schema_name, name, lo, hi, false, NULL, NULL, NULL, NULL, NULL, NULL);
        END IF;
        step.description := format('create partition %s of %s for [%s, %s)',
          format('%I.%I', step.partition_schema, step.partition_name), format('%I.%I', r.schema_name, r.table_name),
          @catalog@._display(lo, r.key_type, r.time_zone), @catalog@._display(hi, r.key_type, r.time_zone));
        newest_created := greatest(newest_created, lo);
        RETURN NEXT step;
      END LOOP;
    END IF;
  END IF;
  -- retention: owned, attached partitions past the cut-off; never the newest, never the one holding the position
  IF cutoff IS NOT NULL THEN
  has_default := default_part.oid IS NOT NULL OR r.default_partition;
  SELECT max(coalesce(x.lower_bound, -9223372036854775808)) INTO newest FROM unnest(parts) x
   WHERE x.is_range AND NOT x.detach_pending;
  newest := greatest(coalesce(newest, -9223372036854775808), coalesce(newest_created, -9223372036854775808));
  FOR p IN
    SELECT x.* FROM unnest(parts) x
     WHERE x.is_range AND x.upper_bound IS NOT NULL AND x.upper_bound <= cutoff
       AND EXISTS (SELECT 1 FROM @catalog@.managed_partition mp WHERE mp.managed_table_id = r.id
                      AND mp.schema_name = x.schema_name
                      AND mp.partition_name = x.partition_name AND mp.state = 'attached')
       AND (x.lower_bound IS NULL OR x.lower_bound < newest)
       AND NOT ((x.lower_bound IS NULL OR x.lower_bound <= pos) AND pos < x.upper_bound)
       AND NOT x.detach_pending -- FINALIZE cannot run in a transaction block; the Java maintainer finishes it
     ORDER BY coalesce(x.lower_bound, -9223372036854775808)
  LOOP
    ord := ord + 1;
    RETURN NEXT @catalog@._removal(r, ord, p.schema_name, p.partition_name, p.lower_bound, p.upper_bound, 'plain');
  END LOOP;
  -- owned partitions a crash left detached but not yet dropped or moved
  FOR p IN
    SELECT mp.* FROM @catalog@.managed_partition mp
     WHERE mp.managed_table_id = r.id AND mp.state = 'attached' AND NOT mp.is_default
       AND NOT EXISTS (SELECT 1 FROM unnest(parts) x WHERE x.schema_name = mp.schema_name
                          AND x.partition_name = mp.partition_name)
       AND mp.upper_bound IS NOT NULL AND mp.upper_bound <= cutoff
       AND to_regclass(format('%I.%I', mp.schema_name, mp.partition_name)) IS NOT NULL
     ORDER BY coalesce(mp.lower_bound, -9223372036854775808)
  LOOP
    ord := ord + 1;
    RETURN NEXT @catalog@._removal(r, ord, p.schema_name, p.partition_name, p.lower_bound, p.upper_bound, 'done');
  END LOOP;
  END IF;
  -- tiering, last: long rewrites must not hold back creation or retention (Planner.moves)
  IF r.tier_after IS NULL OR r.tier_tablespace IS NULL THEN
    RETURN;
  END IF;
  tier_cutoff := CASE WHEN is_time
    THEN @catalog@._from_local(@catalog@._to_local(@catalog@._from_instant(p_now, r.key_type, r.time_zone),
                                                   r.key_type, r.time_zone)
                               - @catalog@._retention_interval(r.tier_after), r.key_type, r.time_zone)
    ELSE pos - btrim(r.tier_after)::bigint END;
  FOR p IN
    SELECT x.*, coalesce(t.spcname, d.spcname) AS tablespace,
           ARRAY(SELECT ic.relname::text FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid
                   LEFT JOIN pg_catalog.pg_tablespace it ON it.oid = ic.reltablespace
                  WHERE ix.indrelid = x.oid AND coalesce(it.spcname, d.spcname) <> r.tier_tablespace
                  ORDER BY ic.relname COLLATE "C") AS indexes
      FROM unnest(parts) x
      JOIN pg_catalog.pg_class c ON c.oid = x.oid
      LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
     CROSS JOIN (SELECT s.spcname FROM pg_catalog.pg_database db JOIN pg_catalog.pg_tablespace s
                     ON s.oid = db.dattablespace WHERE db.datname = pg_catalog.current_database()) d
     WHERE x.is_range AND NOT x.detach_pending AND x.upper_bound IS NOT NULL AND x.upper_bound <= tier_cutoff
       AND (cutoff IS NULL OR x.upper_bound > cutoff) -- else retention removes it
       AND EXISTS (SELECT 1 FROM @catalog@.managed_partition mp WHERE mp.managed_table_id = r.id
                      AND mp.schema_name = x.schema_name AND mp.partition_name = x.partition_name
                      AND mp.state = 'attached')
       AND NOT ((x.lower_bound IS NULL OR x.lower_bound <= pos) AND pos < x.upper_bound)
     ORDER BY coalesce(x.lower_bound, -9223372036854775808)
  LOOP
    CONTINUE WHEN p.tablespace = r.tier_tablespace AND cardinality(p.indexes) = 0;
    ord := ord + 1;
    step := (ord, 'tier', p.schema_name, p.partition_name, p.lower_bound, p.upper_bound, false, NULL, NULL,
             r.tier_tablespace, NULL, p.tablespace <> r.tier_tablespace, p.indexes);
    step.description := format('%s of %s to tablespace %s ([%s, %s), past tierAfter)',
      CASE WHEN step.move_table THEN 'move partition ' || format('%I.%I', p.schema_name, p.partition_name)
                || CASE WHEN cardinality(p.indexes) = 0 THEN '' ELSE ' and ' || cardinality(p.indexes) || ' index(es)' END
           ELSE 'move ' || cardinality(p.indexes) || ' index(es) of partition '
                || format('%I.%I', p.schema_name, p.partition_name) END,
      format('%I.%I', r.schema_name, r.table_name), r.tier_tablespace,
      coalesce(@catalog@._display(p.lower_bound, r.key_type, r.time_zone), 'MINVALUE'),
      @catalog@._display(p.upper_bound, r.key_type, r.time_zone));
    RETURN NEXT step;
  END LOOP;
END
$$
--//
CREATE FUNCTION @catalog@._removal(r @catalog@.managed_table, p_ord int, p_schema text, p_name text, p_lower bigint,
                                   p_upper bigint, p_detach text) RETURNS @catalog@.planned_step
LANGUAGE sql STABLE AS $$
  SELECT (p_ord, 'remove', p_schema, p_name, p_lower, p_upper, false, p_detach, r.retention_action,
          r.retention_schema,
          format('%s partition %s of %s ([%s, %s), past retention; detach %s)',
                 CASE r.retention_action WHEN 'drop' THEN 'drop' WHEN 'detach' THEN 'detach and keep'
                      ELSE 'move to schema ' || r.retention_schema END,
                 format('%I.%I', p_schema, p_name), format('%I.%I', r.schema_name, r.table_name),
                 coalesce(@catalog@._display(p_lower, r.key_type, r.time_zone), 'MINVALUE'),
                 @catalog@._display(p_upper, r.key_type, r.time_zone), p_detach), NULL, NULL)::@catalog@.planned_step
$$
--//
-- What in-database maintenance would do now: every enabled managed table's steps.
CREATE FUNCTION @catalog@.plan_maintenance(p_now timestamptz DEFAULT now())
RETURNS TABLE (schema_name text, table_name text, ord int, kind text, partition_schema text, partition_name text,
               description text)
LANGUAGE sql STABLE AS $$
  SELECT m.schema_name, m.table_name, s.ord, s.kind, s.partition_schema, s.partition_name, s.description
    FROM @catalog@.managed_table m
   CROSS JOIN LATERAL @catalog@._plan(m, p_now) s
   WHERE m.enabled AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = m.table_oid)
   ORDER BY m.id, s.ord
$$
--//
-- When maintenance next has work on a table: the key value at which creation is due (or NULL when a MAXVALUE
-- partition covers everything ahead), and the oldest owned partition's next retention.
CREATE FUNCTION @catalog@._next_work(p_rule @catalog@.managed_table, p_now timestamptz,
                                     OUT partitions int, OUT advance_partitions bigint, OUT oldest_bound text,
                                     OUT newest_bound text, OUT creation_due text, OUT next_partition text,
                                     OUT retention_due text, OUT retention_partition text, OUT steps_due int)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  r @catalog@.managed_table := p_rule;
  parts @catalog@.partition_row[];
  pos bigint;
  cur bigint;
  newest_upper bigint;
  oldest_lower bigint;
  due bigint;
  oldest record;
  local timestamp;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = r.table_oid)
     OR r.key_type NOT IN ('timestamptz', 'timestamp', 'date', 'int2', 'int4', 'int8') THEN
    RETURN; -- the table is gone, or its key is one only the Java maintainer plans (UUIDv7): nothing to say here
  END IF;
  parts := ARRAY(SELECT p FROM @catalog@._partitions(p_rule) p);
  pos := @catalog@._position(p_rule, p_now);
  cur := @catalog@._slot_of(pos, r.key_type, r.increment, r.origin, r.time_zone);
  partitions := coalesce(array_length(parts, 1), 0);
  SELECT max(x.upper_bound), min(x.lower_bound) INTO newest_upper, oldest_lower
    FROM unnest(parts) x WHERE x.is_range AND NOT x.detach_pending;
  oldest_bound := @catalog@._display(oldest_lower, r.key_type, r.time_zone);
  newest_bound := @catalog@._display(newest_upper, r.key_type, r.time_zone);
  advance_partitions := CASE WHEN newest_upper IS NULL THEN -1 ELSE @catalog@._advance(r, newest_upper, cur) END;
  -- an autocreate expression moves the position creation counts from; only the Java maintainer evaluates it
  IF r.autocreate_expression IS NULL
     AND NOT EXISTS (SELECT 1 FROM unnest(parts) x WHERE x.is_range AND NOT x.detach_pending AND x.upper_bound IS NULL)
  THEN
    IF newest_upper IS NULL OR advance_partitions < r.min_advance THEN
      due := pos;
    ELSE
      -- creation starts once fewer than min_advance whole partitions lie ahead of the current one
      due := @catalog@._lower(@catalog@._slot_of(newest_upper - 1, r.key_type, r.increment, r.origin, r.time_zone)
                              - r.min_advance + 1, r.key_type, r.increment, r.origin, r.time_zone);
    END IF;
    creation_due := @catalog@._display(due, r.key_type, r.time_zone);
    BEGIN
      next_partition := @catalog@._partition_name(r, CASE WHEN newest_upper IS NULL
        THEN @catalog@._lower(cur, r.key_type, r.increment, r.origin, r.time_zone) ELSE newest_upper END, '{}');
    EXCEPTION WHEN OTHERS THEN
      next_partition := '(' || SQLERRM || ')';
    END;
  END IF;
  IF r.retention IS NOT NULL THEN
    SELECT x.partition_name, x.upper_bound INTO oldest FROM unnest(parts) x
      JOIN @catalog@.managed_partition mp ON mp.managed_table_id = r.id AND mp.schema_name = x.schema_name
                                         AND mp.partition_name = x.partition_name AND mp.state = 'attached'
     WHERE x.is_range AND x.upper_bound IS NOT NULL
     ORDER BY x.upper_bound LIMIT 1;
    IF oldest.partition_name IS NOT NULL THEN
      retention_partition := oldest.partition_name;
      IF r.key_type IN ('timestamptz', 'timestamp', 'date') THEN
        local := @catalog@._to_local(oldest.upper_bound, r.key_type, r.time_zone);
        retention_due := @catalog@._display(@catalog@._from_local(local + @catalog@._retention_interval(r.retention),
                                            r.key_type, r.time_zone), r.key_type, r.time_zone);
      ELSE
        retention_due := (oldest.upper_bound + btrim(r.retention)::bigint)::text;
      END IF;
    END IF;
  END IF;
  BEGIN
    steps_due := (SELECT count(*) FROM @catalog@._plan(p_rule, p_now));
  EXCEPTION WHEN OTHERS THEN
    steps_due := NULL; -- the plan fails; the maintainer's history says why
  END;
END
$$
--//
-- Per managed table: its partitions, what maintenance will do next, and what it did last.
CREATE VIEW @catalog@.table_status AS
SELECT m.schema_name, m.table_name, m.key_column, m.increment, m.enabled,
       w.partitions, w.advance_partitions, m.min_advance AS minimum_advance_partitions,
       w.oldest_bound, w.newest_bound, w.steps_due, w.creation_due, w.next_partition, w.retention_due,
       w.retention_partition, m.last_maintained_at, m.last_maintained_by,
       r.started_at AS last_run_at, r.run_by AS last_run_by, r.outcome AS last_outcome,
       r.duration_ms AS last_duration_ms, r.created AS last_created, r.detached + r.dropped + r.moved AS last_removed,
       r.skipped AS last_skipped, r.errors AS last_error
  FROM @catalog@.managed_table m
 CROSS JOIN LATERAL @catalog@._next_work(m, now()) w
  LEFT JOIN LATERAL (SELECT x.* FROM @catalog@.maintenance_run x
                      WHERE x.schema_name = m.schema_name AND x.table_name = m.table_name
                      ORDER BY x.id DESC LIMIT 1) r ON true
