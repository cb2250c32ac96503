-- Lock Database
UPDATE public.databasechangeloglock SET LOCKED = TRUE, LOCKEDBY = '<host>', LOCKGRANTED = NOW() WHERE ID = 1 AND LOCKED = FALSE;

-- *********************************************************************
-- Rollback 10 Change(s) Script
-- *********************************************************************
-- Change Log: changelogs/<format>/partitioning.<format>
-- Ran at: <time>
-- Against: <database>
-- Liquibase version: <version>
-- *********************************************************************

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::maintain::alice
DELETE FROM public.databasechangelog WHERE ID = 'maintain' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::readings-legacy-drop::alice
-- autopartition: createPartition readings_legacy of "public"."readings" FOR VALUES FROM (-1000) TO (0)
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- create partition "public"."readings_legacy" of "public"."readings" for [-1000, 0)
--   lock: ACCESS SHARE on "public"."readings" (reads its definition)
CREATE TABLE "public"."readings_legacy" (LIKE "public"."readings" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."readings_legacy" only
ALTER TABLE "public"."readings_legacy" ADD CONSTRAINT "autopartition_bounds" CHECK ("reading_id" IS NOT NULL AND "reading_id" >= -1000 AND "reading_id" < 0);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."readings" (reads and writes go on)
ALTER TABLE "public"."readings" ATTACH PARTITION "public"."readings_legacy" FOR VALUES FROM (-1000) TO (0);
--   lock: ACCESS EXCLUSIVE on "public"."readings_legacy" (not yet visible to other sessions)
ALTER TABLE "public"."readings_legacy" DROP CONSTRAINT "autopartition_bounds";

DELETE FROM public.databasechangelog WHERE ID = 'readings-legacy-drop' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::readings-legacy::alice
-- autopartition: rollback of createPartition FOR VALUES FROM (-1000) TO (0) of "public"."readings"
-- The partition does not exist now (an earlier rollback of this run may create it). When the rollback runs,
-- it detaches and drops the partition if it exists.;

DELETE FROM public.databasechangelog WHERE ID = 'readings-legacy' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::audit-unmanaged::alice
-- autopartition: autoPartition of "public"."audit_log" on logged_on by 1 month
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- save the auto-partition rule of "public"."audit_log" in schema autopartition
-- partitions are created from the clock (or the largest key) at the time the change runs;

DELETE FROM public.databasechangelog WHERE ID = 'audit-unmanaged' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::audit-rule::alice
-- autopartition: dropAutoPartition of "public"."audit_log"
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- "public"."audit_log" has no auto-partition rule;

DELETE FROM public.databasechangelog WHERE ID = 'audit-rule' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::sessions-partitions::alice
-- autopartition: rollback of createPartition FOR VALUES WITH (MODULUS 2, REMAINDER 1) of "public"."sessions"
-- drop partition "public"."sessions_1" of "public"."sessions" (on request; detach plain)
--   lock: ACCESS EXCLUSIVE on "public"."sessions", for at most lock_timeout (a concurrent detach is ruled out by a default partition, by a surrounding transaction, or before PostgreSQL 14)
ALTER TABLE "public"."sessions" DETACH PARTITION "public"."sessions_1";
--   lock: ACCESS EXCLUSIVE on the detached table "public"."sessions_1" only
DROP TABLE "public"."sessions_1";

-- autopartition: rollback of createPartition FOR VALUES WITH (MODULUS 2, REMAINDER 0) of "public"."sessions"
-- drop partition "public"."sessions_0" of "public"."sessions" (on request; detach plain)
--   lock: ACCESS EXCLUSIVE on "public"."sessions", for at most lock_timeout (a concurrent detach is ruled out by a default partition, by a surrounding transaction, or before PostgreSQL 14)
ALTER TABLE "public"."sessions" DETACH PARTITION "public"."sessions_0";
--   lock: ACCESS EXCLUSIVE on the detached table "public"."sessions_0" only
DROP TABLE "public"."sessions_0";

DELETE FROM public.databasechangelog WHERE ID = 'sessions-partitions' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::regions-partitions::alice
-- autopartition: rollback of createPartition DEFAULT of "public"."regions"
-- drop partition "public"."regions_other" of "public"."regions" (on request; detach plain)
--   lock: ACCESS EXCLUSIVE on "public"."regions", for at most lock_timeout (a concurrent detach is ruled out by a default partition, by a surrounding transaction, or before PostgreSQL 14)
ALTER TABLE "public"."regions" DETACH PARTITION "public"."regions_other";
--   lock: ACCESS EXCLUSIVE on the detached table "public"."regions_other" only
DROP TABLE "public"."regions_other";

-- autopartition: rollback of createPartition FOR VALUES IN ('x,y', 'it''s') of "public"."regions"
-- drop partition "public"."regions_odd" of "public"."regions" (on request; detach plain)
--   lock: ACCESS EXCLUSIVE on "public"."regions", for at most lock_timeout (a concurrent detach is ruled out by a default partition, by a surrounding transaction, or before PostgreSQL 14)
ALTER TABLE "public"."regions" DETACH PARTITION "public"."regions_odd";
--   lock: ACCESS EXCLUSIVE on the detached table "public"."regions_odd" only
DROP TABLE "public"."regions_odd";

-- autopartition: rollback of createPartition FOR VALUES IN (de, at, ch) of "public"."regions"
-- drop partition "public"."regions_dach" of "public"."regions" (on request; detach plain)
--   lock: ACCESS EXCLUSIVE on "public"."regions", for at most lock_timeout (a concurrent detach is ruled out by a default partition, by a surrounding transaction, or before PostgreSQL 14)
ALTER TABLE "public"."regions" DETACH PARTITION "public"."regions_dach";
--   lock: ACCESS EXCLUSIVE on the detached table "public"."regions_dach" only
DROP TABLE "public"."regions_dach";

DELETE FROM public.databasechangelog WHERE ID = 'regions-partitions' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::events-backfill::alice
-- autopartition: rollback of createPartition FOR VALUES FROM (2021-12-01) TO (2022-01-01) of "public"."events"
-- drop partition "public"."events_2021_12" of "public"."events" (on request; detach plain)
--   lock: ACCESS EXCLUSIVE on "public"."events", for at most lock_timeout (a concurrent detach is ruled out by a default partition, by a surrounding transaction, or before PostgreSQL 14)
ALTER TABLE "public"."events" DETACH PARTITION "public"."events_2021_12";
--   lock: ACCESS EXCLUSIVE on the detached table "public"."events_2021_12" only
DROP TABLE "public"."events_2021_12";

DELETE FROM public.databasechangelog WHERE ID = 'events-backfill' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::readings-rule::alice
-- autopartition: dropAutoPartition of "public"."readings"
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- remove the auto-partition rule of "public"."readings"; its partitions stay
--   lock: ROW EXCLUSIVE on the autopartition catalog
DELETE FROM "autopartition".managed_table WHERE schema_name = 'public' AND table_name = 'readings';

DELETE FROM public.databasechangelog WHERE ID = 'readings-rule' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Rolling Back ChangeSet: changelogs/<format>/partitioning.<format>::events-rule::alice
-- autopartition: dropAutoPartition of "public"."events"
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- remove the auto-partition rule of "public"."events"; its partitions stay
--   lock: ROW EXCLUSIVE on the autopartition catalog
DELETE FROM "autopartition".managed_table WHERE schema_name = 'public' AND table_name = 'events';

DELETE FROM public.databasechangelog WHERE ID = 'events-rule' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Release Database Lock
UPDATE public.databasechangeloglock SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = NULL WHERE ID = 1;
