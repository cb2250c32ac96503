-- Lock Database
UPDATE public.databasechangeloglock SET LOCKED = TRUE, LOCKEDBY = '<host>', LOCKGRANTED = NOW() WHERE ID = 1 AND LOCKED = FALSE;

-- *********************************************************************
-- Update Database Script
-- *********************************************************************
-- Change Log: changelogs/<format>/partitioning.<format>
-- Ran at: <time>
-- Against: <database>
-- Liquibase version: <version>
-- *********************************************************************

-- Changeset changelogs/<format>/partitioning.<format>::events-rule::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: autoPartition of "public"."events" on created_at by 1 day
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- save the auto-partition rule of "public"."events" in schema autopartition
-- partitions are created from the clock (or the largest key) at the time the change runs
-- convert the empty plain table "public"."events" into a table partitioned by range (created_at)
--   lock: ACCESS EXCLUSIVE on the empty table "public"."events"
LOCK TABLE "public"."events" IN ACCESS EXCLUSIVE MODE;
--   lock: ACCESS EXCLUSIVE on the empty table "public"."events"
DO $autopartition$ BEGIN IF EXISTS (SELECT 1 FROM "public"."events") THEN RAISE EXCEPTION USING MESSAGE = '"public"."events" has rows now; autoPartition converts only empty tables. Use migrateToPartitioned for a table with data.'; END IF; END $autopartition$;
--   lock: ACCESS EXCLUSIVE on the empty table "public"."events"
CREATE TABLE "public"."events_autopartition_new" (LIKE "public"."events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS) PARTITION BY RANGE ("created_at");
--   lock: ACCESS EXCLUSIVE on the empty table "public"."events"
DROP TABLE "public"."events";
--   lock: ACCESS EXCLUSIVE on the empty table "public"."events"
ALTER TABLE "public"."events_autopartition_new" RENAME TO "events";
--   lock: ACCESS EXCLUSIVE on the empty table "public"."events"
ALTER TABLE "public"."events" ADD CONSTRAINT "events_pkey" PRIMARY KEY (id, created_at);
-- create partition "public"."events_default" of "public"."events" DEFAULT
--   lock: ACCESS SHARE on "public"."events" (reads its definition)
CREATE TABLE "public"."events_default" (LIKE "public"."events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."events" (reads and writes go on)
ALTER TABLE "public"."events" ATTACH PARTITION "public"."events_default" DEFAULT;
-- create partition "public"."events_p20220110" of "public"."events" for [2022-01-10 00:00:00+00:00, 2022-01-11 00:00:00+00:00)
--   lock: ACCESS SHARE on "public"."events" (reads its definition)
CREATE TABLE "public"."events_p20220110" (LIKE "public"."events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."events_p20220110" only
ALTER TABLE "public"."events_p20220110" ADD CONSTRAINT "autopartition_bounds" CHECK ("created_at" IS NOT NULL AND "created_at" >= '2022-01-10 00:00:00+00'::timestamptz AND "created_at" < '2022-01-11 00:00:00+00'::timestamptz);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."events" (reads and writes go on)
ALTER TABLE "public"."events" ATTACH PARTITION "public"."events_p20220110" FOR VALUES FROM ('2022-01-10 00:00:00+00'::timestamptz) TO ('2022-01-11 00:00:00+00'::timestamptz);
--   lock: ACCESS EXCLUSIVE on "public"."events_p20220110" (not yet visible to other sessions)
ALTER TABLE "public"."events_p20220110" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."events_p20220111" of "public"."events" for [2022-01-11 00:00:00+00:00, 2022-01-12 00:00:00+00:00)
--   lock: ACCESS SHARE on "public"."events" (reads its definition)
CREATE TABLE "public"."events_p20220111" (LIKE "public"."events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."events_p20220111" only
ALTER TABLE "public"."events_p20220111" ADD CONSTRAINT "autopartition_bounds" CHECK ("created_at" IS NOT NULL AND "created_at" >= '2022-01-11 00:00:00+00'::timestamptz AND "created_at" < '2022-01-12 00:00:00+00'::timestamptz);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."events" (reads and writes go on)
ALTER TABLE "public"."events" ATTACH PARTITION "public"."events_p20220111" FOR VALUES FROM ('2022-01-11 00:00:00+00'::timestamptz) TO ('2022-01-12 00:00:00+00'::timestamptz);
--   lock: ACCESS EXCLUSIVE on "public"."events_p20220111" (not yet visible to other sessions)
ALTER TABLE "public"."events_p20220111" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."events_p20220112" of "public"."events" for [2022-01-12 00:00:00+00:00, 2022-01-13 00:00:00+00:00)
--   lock: ACCESS SHARE on "public"."events" (reads its definition)
CREATE TABLE "public"."events_p20220112" (LIKE "public"."events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."events_p20220112" only
ALTER TABLE "public"."events_p20220112" ADD CONSTRAINT "autopartition_bounds" CHECK ("created_at" IS NOT NULL AND "created_at" >= '2022-01-12 00:00:00+00'::timestamptz AND "created_at" < '2022-01-13 00:00:00+00'::timestamptz);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."events" (reads and writes go on)
ALTER TABLE "public"."events" ATTACH PARTITION "public"."events_p20220112" FOR VALUES FROM ('2022-01-12 00:00:00+00'::timestamptz) TO ('2022-01-13 00:00:00+00'::timestamptz);
--   lock: ACCESS EXCLUSIVE on "public"."events_p20220112" (not yet visible to other sessions)
ALTER TABLE "public"."events_p20220112" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."events_p20220113" of "public"."events" for [2022-01-13 00:00:00+00:00, 2022-01-14 00:00:00+00:00)
--   lock: ACCESS SHARE on "public"."events" (reads its definition)
CREATE TABLE "public"."events_p20220113" (LIKE "public"."events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."events_p20220113" only
ALTER TABLE "public"."events_p20220113" ADD CONSTRAINT "autopartition_bounds" CHECK ("created_at" IS NOT NULL AND "created_at" >= '2022-01-13 00:00:00+00'::timestamptz AND "created_at" < '2022-01-14 00:00:00+00'::timestamptz);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."events" (reads and writes go on)
ALTER TABLE "public"."events" ATTACH PARTITION "public"."events_p20220113" FOR VALUES FROM ('2022-01-13 00:00:00+00'::timestamptz) TO ('2022-01-14 00:00:00+00'::timestamptz);
--   lock: ACCESS EXCLUSIVE on "public"."events_p20220113" (not yet visible to other sessions)
ALTER TABLE "public"."events_p20220113" DROP CONSTRAINT "autopartition_bounds";

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('events-rule', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 6, '9:5bd6c73669b5a223d21a90772fffc137', 'autoPartition columnName=created_at, tableName=events', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::readings-rule::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: autoPartition of "public"."readings" on reading_id by 1000
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- save the auto-partition rule of "public"."readings" in schema autopartition
-- partitions are created from the clock (or the largest key) at the time the change runs
-- create partition "public"."readings_p0" of "public"."readings" for [0, 1000)
--   lock: ACCESS SHARE on "public"."readings" (reads its definition)
CREATE TABLE "public"."readings_p0" (LIKE "public"."readings" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."readings_p0" only
ALTER TABLE "public"."readings_p0" ADD CONSTRAINT "autopartition_bounds" CHECK ("reading_id" IS NOT NULL AND "reading_id" >= 0 AND "reading_id" < 1000);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."readings" (reads and writes go on)
ALTER TABLE "public"."readings" ATTACH PARTITION "public"."readings_p0" FOR VALUES FROM (0) TO (1000);
--   lock: ACCESS EXCLUSIVE on "public"."readings_p0" (not yet visible to other sessions)
ALTER TABLE "public"."readings_p0" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."readings_p1000" of "public"."readings" for [1000, 2000)
--   lock: ACCESS SHARE on "public"."readings" (reads its definition)
CREATE TABLE "public"."readings_p1000" (LIKE "public"."readings" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."readings_p1000" only
ALTER TABLE "public"."readings_p1000" ADD CONSTRAINT "autopartition_bounds" CHECK ("reading_id" IS NOT NULL AND "reading_id" >= 1000 AND "reading_id" < 2000);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."readings" (reads and writes go on)
ALTER TABLE "public"."readings" ATTACH PARTITION "public"."readings_p1000" FOR VALUES FROM (1000) TO (2000);
--   lock: ACCESS EXCLUSIVE on "public"."readings_p1000" (not yet visible to other sessions)
ALTER TABLE "public"."readings_p1000" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."readings_p2000" of "public"."readings" for [2000, 3000)
--   lock: ACCESS SHARE on "public"."readings" (reads its definition)
CREATE TABLE "public"."readings_p2000" (LIKE "public"."readings" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."readings_p2000" only
ALTER TABLE "public"."readings_p2000" ADD CONSTRAINT "autopartition_bounds" CHECK ("reading_id" IS NOT NULL AND "reading_id" >= 2000 AND "reading_id" < 3000);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."readings" (reads and writes go on)
ALTER TABLE "public"."readings" ATTACH PARTITION "public"."readings_p2000" FOR VALUES FROM (2000) TO (3000);
--   lock: ACCESS EXCLUSIVE on "public"."readings_p2000" (not yet visible to other sessions)
ALTER TABLE "public"."readings_p2000" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."readings_p3000" of "public"."readings" for [3000, 4000)
--   lock: ACCESS SHARE on "public"."readings" (reads its definition)
CREATE TABLE "public"."readings_p3000" (LIKE "public"."readings" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."readings_p3000" only
ALTER TABLE "public"."readings_p3000" ADD CONSTRAINT "autopartition_bounds" CHECK ("reading_id" IS NOT NULL AND "reading_id" >= 3000 AND "reading_id" < 4000);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."readings" (reads and writes go on)
ALTER TABLE "public"."readings" ATTACH PARTITION "public"."readings_p3000" FOR VALUES FROM (3000) TO (4000);
--   lock: ACCESS EXCLUSIVE on "public"."readings_p3000" (not yet visible to other sessions)
ALTER TABLE "public"."readings_p3000" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."readings_p4000" of "public"."readings" for [4000, 5000)
--   lock: ACCESS SHARE on "public"."readings" (reads its definition)
CREATE TABLE "public"."readings_p4000" (LIKE "public"."readings" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."readings_p4000" only
ALTER TABLE "public"."readings_p4000" ADD CONSTRAINT "autopartition_bounds" CHECK ("reading_id" IS NOT NULL AND "reading_id" >= 4000 AND "reading_id" < 5000);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."readings" (reads and writes go on)
ALTER TABLE "public"."readings" ATTACH PARTITION "public"."readings_p4000" FOR VALUES FROM (4000) TO (5000);
--   lock: ACCESS EXCLUSIVE on "public"."readings_p4000" (not yet visible to other sessions)
ALTER TABLE "public"."readings_p4000" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."readings_p5000" of "public"."readings" for [5000, 6000)
--   lock: ACCESS SHARE on "public"."readings" (reads its definition)
CREATE TABLE "public"."readings_p5000" (LIKE "public"."readings" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."readings_p5000" only
ALTER TABLE "public"."readings_p5000" ADD CONSTRAINT "autopartition_bounds" CHECK ("reading_id" IS NOT NULL AND "reading_id" >= 5000 AND "reading_id" < 6000);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."readings" (reads and writes go on)
ALTER TABLE "public"."readings" ATTACH PARTITION "public"."readings_p5000" FOR VALUES FROM (5000) TO (6000);
--   lock: ACCESS EXCLUSIVE on "public"."readings_p5000" (not yet visible to other sessions)
ALTER TABLE "public"."readings_p5000" DROP CONSTRAINT "autopartition_bounds";

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('readings-rule', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 7, '9:db3a8dc4d808335ba6234fe7628bbc50', 'autoPartition columnName=reading_id, tableName=readings', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::events-backfill::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: createPartition events_2021_12 of "public"."events" FOR VALUES FROM (2021-12-01) TO (2022-01-01)
-- Not planned here: autoPartition in change set changelogs/<format>/partitioning.<format>::events-rule::alice comes
-- earlier in this update and has not run yet, so the table it creates or changes cannot be inspected now.
-- When this change runs, it will create the partition as a standalone table, move matching rows out of the
-- default partition, and attach it FOR VALUES FROM (2021-12-01) TO (2022-01-01).;

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('events-backfill', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 8, '9:49f0c3a0cd1d3a2bbf00e381248b5f28', 'createPartition partitionName=events_2021_12, tableName=events', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::regions-partitions::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: createPartition regions_dach of "public"."regions" FOR VALUES IN (de, at, ch)
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- create partition "public"."regions_dach" of "public"."regions" FOR VALUES IN ('de', 'at', 'ch')
--   lock: ACCESS SHARE on "public"."regions" (reads its definition)
CREATE TABLE "public"."regions_dach" (LIKE "public"."regions" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."regions" (reads and writes go on)
ALTER TABLE "public"."regions" ATTACH PARTITION "public"."regions_dach" FOR VALUES IN ('de', 'at', 'ch');

-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: createPartition regions_odd of "public"."regions" FOR VALUES IN ('x,y', 'it''s')
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- create partition "public"."regions_odd" of "public"."regions" FOR VALUES IN ('x,y', 'it''s')
--   lock: ACCESS SHARE on "public"."regions" (reads its definition)
CREATE TABLE "public"."regions_odd" (LIKE "public"."regions" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."regions" (reads and writes go on)
ALTER TABLE "public"."regions" ATTACH PARTITION "public"."regions_odd" FOR VALUES IN ('x,y', 'it''s');

-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: createPartition regions_other of "public"."regions" DEFAULT
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- create partition "public"."regions_other" of "public"."regions" DEFAULT
--   lock: ACCESS SHARE on "public"."regions" (reads its definition)
CREATE TABLE "public"."regions_other" (LIKE "public"."regions" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."regions" (reads and writes go on)
ALTER TABLE "public"."regions" ATTACH PARTITION "public"."regions_other" DEFAULT;

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('regions-partitions', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 9, '9:3f23f1768e920eae6cb77d993a3079ef', 'createPartition partitionName=regions_dach, tableName=regions; createPartition partitionName=regions_odd, tableName=regions; createPartition partitionName=regions_other, tableName=regions', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::sessions-partitions::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: createPartition sessions_0 of "public"."sessions" FOR VALUES WITH (MODULUS 2, REMAINDER 0)
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- create partition "public"."sessions_0" of "public"."sessions" FOR VALUES WITH (MODULUS 2, REMAINDER 0)
--   lock: ACCESS SHARE on "public"."sessions" (reads its definition)
CREATE TABLE "public"."sessions_0" (LIKE "public"."sessions" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."sessions" (reads and writes go on)
ALTER TABLE "public"."sessions" ATTACH PARTITION "public"."sessions_0" FOR VALUES WITH (MODULUS 2, REMAINDER 0);

-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: createPartition sessions_1 of "public"."sessions" FOR VALUES WITH (MODULUS 2, REMAINDER 1)
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- create partition "public"."sessions_1" of "public"."sessions" FOR VALUES WITH (MODULUS 2, REMAINDER 1)
--   lock: ACCESS SHARE on "public"."sessions" (reads its definition)
CREATE TABLE "public"."sessions_1" (LIKE "public"."sessions" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."sessions" (reads and writes go on)
ALTER TABLE "public"."sessions" ATTACH PARTITION "public"."sessions_1" FOR VALUES WITH (MODULUS 2, REMAINDER 1);

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('sessions-partitions', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 10, '9:5a5544732935d35d0de74b6c3a9233e4', 'createPartition partitionName=sessions_0, tableName=sessions; createPartition partitionName=sessions_1, tableName=sessions', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::audit-rule::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: autoPartition of "public"."audit_log" on logged_on by 1 month
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- save the auto-partition rule of "public"."audit_log" in schema autopartition
-- partitions are created from the clock (or the largest key) at the time the change runs
-- convert the empty plain table "public"."audit_log" into a table partitioned by range (logged_on)
--   lock: ACCESS EXCLUSIVE on the empty table "public"."audit_log"
LOCK TABLE "public"."audit_log" IN ACCESS EXCLUSIVE MODE;
--   lock: ACCESS EXCLUSIVE on the empty table "public"."audit_log"
DO $autopartition$ BEGIN IF EXISTS (SELECT 1 FROM "public"."audit_log") THEN RAISE EXCEPTION USING MESSAGE = '"public"."audit_log" has rows now; autoPartition converts only empty tables. Use migrateToPartitioned for a table with data.'; END IF; END $autopartition$;
--   lock: ACCESS EXCLUSIVE on the empty table "public"."audit_log"
CREATE TABLE "public"."audit_log_autopartition_new" (LIKE "public"."audit_log" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS) PARTITION BY RANGE ("logged_on");
--   lock: ACCESS EXCLUSIVE on the empty table "public"."audit_log"
DROP TABLE "public"."audit_log";
--   lock: ACCESS EXCLUSIVE on the empty table "public"."audit_log"
ALTER TABLE "public"."audit_log_autopartition_new" RENAME TO "audit_log";
-- create partition "public"."audit_log_p202201" of "public"."audit_log" for [2022-01-01, 2022-02-01)
--   lock: ACCESS SHARE on "public"."audit_log" (reads its definition)
CREATE TABLE "public"."audit_log_p202201" (LIKE "public"."audit_log" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."audit_log_p202201" only
ALTER TABLE "public"."audit_log_p202201" ADD CONSTRAINT "autopartition_bounds" CHECK ("logged_on" IS NOT NULL AND "logged_on" >= '2022-01-01'::date AND "logged_on" < '2022-02-01'::date);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."audit_log" (reads and writes go on)
ALTER TABLE "public"."audit_log" ATTACH PARTITION "public"."audit_log_p202201" FOR VALUES FROM ('2022-01-01'::date) TO ('2022-02-01'::date);
--   lock: ACCESS EXCLUSIVE on "public"."audit_log_p202201" (not yet visible to other sessions)
ALTER TABLE "public"."audit_log_p202201" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."audit_log_p202202" of "public"."audit_log" for [2022-02-01, 2022-03-01)
--   lock: ACCESS SHARE on "public"."audit_log" (reads its definition)
CREATE TABLE "public"."audit_log_p202202" (LIKE "public"."audit_log" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."audit_log_p202202" only
ALTER TABLE "public"."audit_log_p202202" ADD CONSTRAINT "autopartition_bounds" CHECK ("logged_on" IS NOT NULL AND "logged_on" >= '2022-02-01'::date AND "logged_on" < '2022-03-01'::date);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."audit_log" (reads and writes go on)
ALTER TABLE "public"."audit_log" ATTACH PARTITION "public"."audit_log_p202202" FOR VALUES FROM ('2022-02-01'::date) TO ('2022-03-01'::date);
--   lock: ACCESS EXCLUSIVE on "public"."audit_log_p202202" (not yet visible to other sessions)
ALTER TABLE "public"."audit_log_p202202" DROP CONSTRAINT "autopartition_bounds";
-- create partition "public"."audit_log_p202203" of "public"."audit_log" for [2022-03-01, 2022-04-01)
--   lock: ACCESS SHARE on "public"."audit_log" (reads its definition)
CREATE TABLE "public"."audit_log_p202203" (LIKE "public"."audit_log" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS);
--   lock: ACCESS EXCLUSIVE on the new, unattached table "public"."audit_log_p202203" only
ALTER TABLE "public"."audit_log_p202203" ADD CONSTRAINT "autopartition_bounds" CHECK ("logged_on" IS NOT NULL AND "logged_on" >= '2022-03-01'::date AND "logged_on" < '2022-04-01'::date);
--   lock: SHARE UPDATE EXCLUSIVE on "public"."audit_log" (reads and writes go on)
ALTER TABLE "public"."audit_log" ATTACH PARTITION "public"."audit_log_p202203" FOR VALUES FROM ('2022-03-01'::date) TO ('2022-04-01'::date);
--   lock: ACCESS EXCLUSIVE on "public"."audit_log_p202203" (not yet visible to other sessions)
ALTER TABLE "public"."audit_log_p202203" DROP CONSTRAINT "autopartition_bounds";

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('audit-rule', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 11, '9:3035fe017db3fc65c1815d8b8f8a6bde', 'autoPartition columnName=logged_on, tableName=audit_log', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::audit-unmanaged::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: dropAutoPartition of "public"."audit_log"
-- Not planned here: autoPartition in change set changelogs/<format>/partitioning.<format>::audit-rule::alice comes
-- earlier in this update and has not run yet, so the table it creates or changes cannot be inspected now.
-- When this change runs, it will remove the auto-partition rule of "public"."audit_log" from the
-- autopartition catalog; the partitions stay.;

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('audit-unmanaged', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 12, '9:cf56052fe8fa65381b8e4b44d3042d64', 'dropAutoPartition tableName=audit_log', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::readings-legacy::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: createPartition readings_legacy of "public"."readings" FOR VALUES FROM (-1000) TO (0)
-- Not planned here: autoPartition in change set changelogs/<format>/partitioning.<format>::readings-rule::alice comes
-- earlier in this update and has not run yet, so the table it creates or changes cannot be inspected now.
-- When this change runs, it will create the partition as a standalone table, move matching rows out of the
-- default partition, and attach it FOR VALUES FROM (-1000) TO (0).;

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('readings-legacy', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 13, '9:f265b3128e8786c2a2ccce493db63d39', 'createPartition partitionName=readings_legacy, tableName=readings', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::readings-legacy-drop::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: dropPartition "public"."readings_legacy"
-- Not planned here: createPartition in change set changelogs/<format>/partitioning.<format>::readings-legacy::alice
-- comes earlier in this update and has not run yet, so the table it creates or changes cannot be inspected
-- now. When this change runs, it will detach "public"."readings_legacy" (concurrently when the change set
-- runs outside a transaction on PostgreSQL 14+ and the table has no default partition) and drop it.;

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('readings-legacy-drop', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 14, '9:6a422ca29aa5f2402c335d169056768c', 'dropPartition partitionName=readings_legacy, tableName=readings', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Changeset changelogs/<format>/partitioning.<format>::maintain::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: maintainPartitions of every managed table
-- Not planned here: autoPartition in change set changelogs/<format>/partitioning.<format>::events-rule::alice comes
-- earlier in this update and has not run yet, so the table it creates or changes cannot be inspected now.
-- When this change runs, it will create the partitions that should lie ahead of the clock at that time and
-- apply retention.;

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('maintain', 'alice', 'changelogs/<format>/partitioning.<format>', NOW(), 15, '9:22da1340cffd46db8ff8740b385ab436', 'maintainPartitions', '', 'EXECUTED', NULL, NULL, '<version>', '<deployment>');

-- Release Database Lock
UPDATE public.databasechangeloglock SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = NULL WHERE ID = 1;
