-- In-database maintenance: the Java maintainer's work as a procedure, for pg_cron. It plans with the catalog's
-- functions (functions.sql) and renders the same statements as the Java Renderer. The defaults in @...@ come from the
-- AutoPartition settings at install time. Statements are separated by a line "--//".

--//
-- Runs one unit of statements in a transaction behind lock_timeout, retried with backoff when a lock is not granted;
-- commits it. A procedure cannot commit inside an exception block, so the block only catches, and the commit follows.
CREATE OR REPLACE PROCEDURE @catalog@._run_unit(p_what text, p_sql text[], p_batch boolean[], p_lock_timeout_ms int,
                                                p_attempts int, p_backoff_ms int, p_max_backoff_ms int,
                                                INOUT moved bigint, INOUT error text)
LANGUAGE plpgsql AS $$
DECLARE
  current text := 'BEGIN';
  retryable text;
  count bigint;
  rows bigint;
  cap numeric;
BEGIN
  FOR attempt IN 1 .. greatest(p_attempts, 1) LOOP
    retryable := NULL;
    rows := 0;
    BEGIN
      -- on Citus only a SET LOCAL statement reaches the workers' shards, and only with propagate_set_commands 'local'
      PERFORM pg_catalog.set_config('citus.propagate_set_commands', 'local', true)
        WHERE pg_catalog.current_setting('citus.propagate_set_commands', true) IS NOT NULL;
      EXECUTE format('SET LOCAL lock_timeout = %L', p_lock_timeout_ms || 'ms');
      FOR i IN 1 .. coalesce(array_length(p_sql, 1), 0) LOOP
        current := p_sql[i];
        LOOP
          EXECUTE current;
          GET DIAGNOSTICS count = ROW_COUNT;
          rows := rows + CASE WHEN p_batch[i] THEN count ELSE 0 END;
          EXIT WHEN NOT p_batch[i] OR count = 0;
        END LOOP;
      END LOOP;
    EXCEPTION
      WHEN lock_not_available OR deadlock_detected OR serialization_failure THEN
        retryable := SQLERRM;
      WHEN OTHERS THEN
        error := format('%s: [%s] %s%s', p_what, SQLSTATE, SQLERRM, E'\n  statement: ' || current);
        COMMIT; -- the failed unit was rolled back with its block
        RETURN;
    END;
    IF retryable IS NULL THEN
      moved := moved + rows;
      COMMIT;
      RETURN;
    END IF;
    COMMIT; -- hold nothing while waiting
    IF attempt < p_attempts THEN
      cap := least(p_max_backoff_ms, p_backoff_ms * power(2, least(attempt - 1, 20)));
      RAISE NOTICE '%: % (try % of %), retrying', p_what, retryable, attempt, p_attempts;
      PERFORM pg_catalog.pg_sleep((cap / 2 + random() * cap / 2) / 1000.0);
    END IF;
  END LOOP;
  error := format('%s: could not get a lock within %s ms on any of %s tries; another session holds a conflicting'
                  ' lock (look at pg_locks and long-running transactions). Nothing was changed by this step; it runs'
                  ' again on the next maintenance.%s', p_what, p_lock_timeout_ms, p_attempts,
                  E'\n  statement: ' || current);
END
$$
--//
-- The statements of one planned step, in units (the Renderer's rendering, with a plain detach: a procedure runs in
-- transactions, where DETACH ... CONCURRENTLY is not allowed).
CREATE OR REPLACE FUNCTION @catalog@._render(r @catalog@.managed_table, s @catalog@.planned_step, p_batch_size int)
RETURNS TABLE (unit int, sql text, batch boolean) LANGUAGE plpgsql STABLE AS $$
DECLARE
  parent text := format('%I.%I', r.schema_name, r.table_name);
  part text := format('%I.%I', s.partition_schema, s.partition_name);
  lo text := @catalog@._literal(s.lower_bound, r.key_type);
  hi text := @catalog@._literal(s.upper_bound, r.key_type);
  cat text := @catalog_literal@; -- the quoted schema, as a value: a name may hold quotes or percent signs
  record_sql text := 'INSERT INTO %s.managed_partition (managed_table_id, schema_name, partition_name,'
    || ' lower_bound, upper_bound, is_default, state, source, partition_oid) VALUES (%s, %L, %L, %s, %s, %L, %L,'
    || ' ''created'', to_regclass(%L)::oid) ON CONFLICT (schema_name, partition_name) DO UPDATE SET'
    || ' managed_table_id = EXCLUDED.managed_table_id, lower_bound = EXCLUDED.lower_bound,'
    || ' upper_bound = EXCLUDED.upper_bound, state = EXCLUDED.state, partition_oid = EXCLUDED.partition_oid,'
    || ' updated_at = now()';
  state_sql text := 'UPDATE %s.managed_partition SET state = %L, schema_name = %L, partition_name = %L,'
    || ' updated_at = now() WHERE schema_name = %L AND partition_name = %L';
  def record;
  columns text;
  like_options text := 'INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE'
    || ' INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS';
BEGIN
  IF s.kind IN ('create', 'default') THEN
    IF NOT s.reuse_pending THEN
      RETURN QUERY VALUES (1, format('CREATE TABLE %s (LIKE %s %s)', part, parent, like_options), false);
      IF s.kind = 'create' THEN
        RETURN QUERY VALUES (1, format('ALTER TABLE %s ADD CONSTRAINT autopartition_bounds CHECK (%I IS NOT NULL AND'
                                       ' %I >= %s AND %I < %s)', part, r.key_column, r.key_column, lo, r.key_column,
                                       hi), false);
      END IF;
      RETURN QUERY VALUES (1, format(record_sql, cat, r.id, s.partition_schema, s.partition_name,
                                     coalesce(s.lower_bound::text, 'NULL'), coalesce(s.upper_bound::text, 'NULL'),
                                     s.kind = 'default', 'pending', part), false);
    END IF;
    IF s.kind = 'default' THEN
      RETURN QUERY VALUES (2, format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', parent, part), false);
    ELSE
      -- partdefid, not pg_get_expr: that would lock each partition, and this runs outside the unit's lock_timeout
      SELECT n.nspname, c.relname INTO def FROM pg_catalog.pg_partitioned_table pt
        JOIN pg_catalog.pg_class c ON c.oid = pt.partdefid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE pt.partrelid = r.table_oid;
      IF def.relname IS NOT NULL THEN
        -- rows of the new range move in batches inside the attaching transaction: readers see them in the default
        -- until the commit and in the new partition after it, never in neither
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO columns FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = r.table_oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
        RETURN QUERY VALUES (2, format('WITH moved AS (DELETE FROM %1$s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %1$s'
          ' WHERE %2$I >= %3$s AND %2$I < %4$s LIMIT %5$s)) RETURNING %6$s) INSERT INTO %7$s (%6$s) SELECT %6$s'
          ' FROM moved', format('%I.%I', def.nspname, def.relname), r.key_column, lo, hi, p_batch_size, columns,
          part), true);
      END IF;
      RETURN QUERY VALUES (2, format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%s) TO (%s)', parent, part,
                                     lo, hi), false);
      RETURN QUERY VALUES (2, format('ALTER TABLE %s DROP CONSTRAINT autopartition_bounds', part), false);
    END IF;
    RETURN QUERY VALUES (2, format(record_sql, cat, r.id, s.partition_schema, s.partition_name,
                                   coalesce(s.lower_bound::text, 'NULL'), coalesce(s.upper_bound::text, 'NULL'),
                                   s.kind = 'default', 'attached', part), false);
    RETURN;
  END IF;
  IF s.kind = 'tier' THEN
    -- one relation per transaction: each rewrite holds ACCESS EXCLUSIVE on that partition or index alone
    IF s.move_table THEN
      RETURN QUERY VALUES (1, format('ALTER TABLE %s SET TABLESPACE %I', part, s.target_schema), false);
    END IF;
    FOR i IN 1 .. coalesce(cardinality(s.indexes), 0) LOOP
      RETURN QUERY VALUES (1 + i, format('ALTER INDEX %I.%I SET TABLESPACE %I', s.partition_schema, s.indexes[i],
                                         s.target_schema), false);
    END LOOP;
    RETURN QUERY VALUES (coalesce(cardinality(s.indexes), 0) + 1,
                         format('UPDATE %s.managed_partition SET tablespace = %L, updated_at = now() WHERE'
                                ' schema_name = %L AND partition_name = %L', cat, s.target_schema,
                                s.partition_schema, s.partition_name), false);
    RETURN;
  END IF;
  IF s.detach = 'plain' THEN
    RETURN QUERY VALUES (1, format('ALTER TABLE %s DETACH PARTITION %s', parent, part), false);
  END IF;
  IF s.action = 'drop' THEN
    RETURN QUERY VALUES (1, format('DROP TABLE %s', part), false);
    RETURN QUERY VALUES (1, format('DELETE FROM %s.managed_partition WHERE schema_name = %L AND'
                                   ' partition_name = %L', cat, s.partition_schema, s.partition_name), false);
  ELSIF s.action = 'move' THEN
    RETURN QUERY VALUES (1, format('ALTER TABLE %s SET SCHEMA %I', part, s.target_schema), false);
    RETURN QUERY VALUES (1, format(state_sql, cat, 'detached', s.target_schema, s.partition_name, s.partition_schema,
                                   s.partition_name), false);
  ELSE
    RETURN QUERY VALUES (1, format(state_sql, cat, 'detached', s.partition_schema, s.partition_name, s.partition_schema,
                                   s.partition_name), false);
  END IF;
END
$$
--//
-- Maintenance of every managed table (or one), as the Java maintainer does it: plan, and only for a table with work
-- take its advisory lock (the same key as the Java maintainer, so the two never work on one table at once), re-plan
-- under the lock, and run the steps, each unit committing on its own. Call it on its own (CALL, not inside BEGIN):
-- it commits. p_now replaces the clock, for tests.
CREATE OR REPLACE PROCEDURE @catalog@.run_maintenance(p_table regclass DEFAULT NULL, p_now timestamptz DEFAULT NULL,
                                                      p_lock_timeout_ms int DEFAULT @lock_timeout_ms@,
                                                      p_attempts int DEFAULT @attempts@,
                                                      p_backoff_ms int DEFAULT @backoff_ms@,
                                                      p_max_backoff_ms int DEFAULT @max_backoff_ms@,
                                                      p_batch_size int DEFAULT @batch_size@)
LANGUAGE plpgsql AS $$
DECLARE
  clock timestamptz := coalesce(p_now, pg_catalog.now());
  ids bigint[];
  table_id bigint;
  r @catalog@.managed_table;
  live record;
  steps @catalog@.planned_step[];
  s @catalog@.planned_step;
  u record;
  unit_sql text[];
  unit_batch boolean[];
  lock_key bigint;
  started timestamptz;
  has_work boolean;
  created text[];
  detached text[];
  dropped text[];
  moved text[];
  tiered text[];
  moved_rows bigint;
  errors text[];
  error text;
  skipped text;
  previous_lock_timeout text;
BEGIN
  -- fails at once inside BEGIN ... COMMIT ("invalid transaction termination"), before any lock is taken: a session
  -- advisory lock would otherwise outlive the failed call
  COMMIT;
  IF pg_catalog.pg_is_in_recovery() THEN
    RAISE NOTICE 'The server is a standby; maintenance does nothing there';
    RETURN;
  END IF;
  -- Reading a partition's bound locks it for an instant: never wait long behind someone's ACCESS EXCLUSIVE lock
  -- while planning (as the Java maintainer's catalog reads). Each unit sets its own, shorter timeout.
  previous_lock_timeout := current_setting('lock_timeout');
  PERFORM pg_catalog.set_config('lock_timeout', (p_lock_timeout_ms * 4) || 'ms', false);
  ids := ARRAY(SELECT m.id FROM @catalog@.managed_table m WHERE p_table IS NULL OR m.table_oid = p_table ORDER BY m.id);
  FOREACH table_id IN ARRAY ids LOOP
    started := clock_timestamp();
    created := '{}'; detached := '{}'; dropped := '{}'; moved := '{}'; tiered := '{}'; errors := '{}';
    moved_rows := 0;
    skipped := NULL;
    SELECT * INTO r FROM @catalog@.managed_table m WHERE m.id = table_id;
    CONTINUE WHEN r.id IS NULL;
    SELECT n.nspname::text AS nspname, c.relname::text AS relname INTO live FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = r.table_oid;
    IF live.relname IS NULL THEN
      skipped := 'the table no longer exists';
      RAISE WARNING '%.% no longer exists; remove its rule with dropAutoPartition',
        quote_ident(r.schema_name), quote_ident(r.table_name);
    ELSIF live.nspname <> r.schema_name OR live.relname <> r.table_name THEN
      -- renamed: the OID is the truth
      UPDATE @catalog@.managed_table SET schema_name = live.nspname, table_name = live.relname WHERE id = r.id;
      r.schema_name := live.nspname;
      r.table_name := live.relname;
    END IF;
    IF skipped IS NULL AND NOT r.enabled THEN
      skipped := 'disabled';
    END IF;
    IF skipped IS NULL THEN
      UPDATE @catalog@.managed_table SET last_maintained_at = now(), last_maintained_by = 'database' WHERE id = r.id;
      BEGIN
        has_work := EXISTS (SELECT 1 FROM @catalog@._plan(r, clock));
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS error = PG_EXCEPTION_HINT;
        has_work := false;
        errors := errors || ('plan: ' || SQLERRM || coalesce('. Fix: ' || nullif(error, ''), ''));
      END;
      IF has_work THEN
        lock_key := x'6170000000000000'::bigint | r.table_oid::bigint;
        IF NOT pg_catalog.pg_try_advisory_lock(lock_key) THEN
          skipped := 'busy: another maintainer holds its advisory lock';
        ELSE
          -- a second pass moves partitions this run created for days already past tierAfter (as the Java maintainer)
          FOR pass IN 1 .. 2 LOOP
            EXIT WHEN pass = 2 AND NOT (r.tier_after IS NOT NULL AND r.tier_tablespace IS NOT NULL
                                        AND cardinality(created) > 0 AND cardinality(errors) = 0);
            BEGIN
              -- re-read under the lock: the state may have changed since
              SELECT * INTO r FROM @catalog@.managed_table m WHERE m.id = table_id;
              steps := ARRAY(SELECT p FROM @catalog@._plan(r, clock) p WHERE pass = 1 OR p.kind = 'tier');
            EXCEPTION WHEN OTHERS THEN
              steps := '{}';
              errors := errors || ('plan: ' || SQLERRM);
            END;
            FOREACH s IN ARRAY steps LOOP
              error := NULL;
              FOR u IN SELECT x.unit FROM @catalog@._render(r, s, p_batch_size) x GROUP BY x.unit ORDER BY x.unit LOOP
                SELECT array_agg(x.sql ORDER BY x.n), array_agg(x.batch ORDER BY x.n) INTO unit_sql, unit_batch
                  FROM @catalog@._render(r, s, p_batch_size) WITH ORDINALITY AS x(unit, sql, batch, n)
                 WHERE x.unit = u.unit;
                CALL @catalog@._run_unit(s.description, unit_sql, unit_batch, p_lock_timeout_ms, p_attempts, p_backoff_ms,
                                         p_max_backoff_ms, moved_rows, error);
                EXIT WHEN error IS NOT NULL;
              END LOOP;
              IF error IS NOT NULL THEN
                RAISE WARNING '%', error;
                errors := errors || error;
                EXIT; -- the table's later steps wait for the next run
              END IF;
              RAISE NOTICE '%', s.description;
              IF s.kind = 'tier' THEN
                tiered := tiered || s.partition_name;
              ELSIF s.kind IN ('create', 'default') THEN
                created := created || s.partition_name;
              ELSIF s.action = 'drop' THEN
                dropped := dropped || s.partition_name;
              ELSIF s.action = 'move' THEN
                moved := moved || s.partition_name;
              ELSE
                detached := detached || s.partition_name;
              END IF;
            END LOOP;
          END LOOP;
          PERFORM pg_catalog.pg_advisory_unlock(lock_key);
        END IF;
      END IF;
    END IF;
    IF skipped IS NOT NULL OR cardinality(errors) > 0 OR cardinality(created) + cardinality(detached)
       + cardinality(dropped) + cardinality(moved) + cardinality(tiered) > 0 OR moved_rows > 0 THEN
      INSERT INTO @catalog@.maintenance_run (schema_name, table_name, started_at, duration_ms, created, detached,
                                             dropped, moved, moved_rows, skipped, errors, run_by, created_partitions,
                                             removed_partitions, tiered)
      VALUES (r.schema_name, r.table_name, coalesce(p_now, started),
              (extract(epoch FROM clock_timestamp() - started) * 1000)::bigint, cardinality(created),
              cardinality(detached), cardinality(dropped), cardinality(moved), moved_rows, skipped,
              nullif(array_to_string(errors, E'\n'), ''), 'database', created, detached || dropped || moved,
              cardinality(tiered));
    END IF;
    COMMIT;
  END LOOP;
  PERFORM pg_catalog.set_config('lock_timeout', previous_lock_timeout, false);
END
$$
