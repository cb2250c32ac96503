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

-- Changeset changelogs/<format>/partitioning.<format>::maintain::alice
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- autopartition: maintainPartitions of every managed table
-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).
-- Nothing to do at this time.;

UPDATE public.databasechangelog SET EXECTYPE = 'RERAN', MD5SUM = '9:22da1340cffd46db8ff8740b385ab436', ... WHERE ID = 'maintain' AND AUTHOR = 'alice' AND FILENAME = 'changelogs/<format>/partitioning.<format>';

-- Release Database Lock
UPDATE public.databasechangeloglock SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = NULL WHERE ID = 1;
