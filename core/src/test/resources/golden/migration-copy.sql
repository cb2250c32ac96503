-- stage prepare
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
CREATE TABLE "public"."chat_messages_autopartition_new" (LIKE "public"."chat_messages" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS INCLUDING IDENTITY) PARTITION BY RANGE ("created_at");
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_autopartition_new" ADD CONSTRAINT "chat_messages_pkey_apnew" PRIMARY KEY ("id", "created_at");
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
CREATE INDEX "chat_messages_chat_idx_apnew" ON "public"."chat_messages_autopartition_new" USING btree (chat_id, created_at);
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_autopartition_new" ADD CONSTRAINT "chat_messages_chat_id_fkey" FOREIGN KEY (chat_id) REFERENCES chats(id);
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
GRANT SELECT ON "public"."chat_messages_autopartition_new" TO "reader";
-- NONE on "public"."chat_messages", IN_TRANSACTION
CREATE TABLE "autopartition"."migration_7_log" (log_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "id" bigint, autopartition_old_key timestamp with time zone, autopartition_new_key timestamp with time zone);
-- NONE on "public"."chat_messages", IN_TRANSACTION
CREATE OR REPLACE FUNCTION "autopartition"."migration_7_capture"() RETURNS trigger LANGUAGE plpgsql AS $autopartition$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD."id") IS NOT DISTINCT FROM (NEW."id") THEN INSERT INTO "autopartition"."migration_7_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (OLD."id", OLD."created_at", NEW."created_at");
  ELSE
    IF TG_OP <> 'INSERT' THEN INSERT INTO "autopartition"."migration_7_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (OLD."id", OLD."created_at", NULL); END IF;
    IF TG_OP <> 'DELETE' THEN INSERT INTO "autopartition"."migration_7_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (NEW."id", NULL, NEW."created_at"); END IF;
  END IF;
  RETURN NULL;
END
$autopartition$;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
CREATE TRIGGER "autopartition_capture" AFTER INSERT OR UPDATE OR DELETE ON "public"."chat_messages" FOR EACH ROW EXECUTE FUNCTION "autopartition"."migration_7_capture"();
-- NONE on "public"."chat_messages", IN_TRANSACTION
CREATE OR REPLACE FUNCTION "autopartition"."migration_no_truncate"() RETURNS trigger LANGUAGE plpgsql AS $autopartition$ BEGIN RAISE EXCEPTION '% is being migrated to a partitioned table; TRUNCATE would not be carried over. Abort or finish the migration first.', TG_TABLE_NAME; END $autopartition$;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
CREATE TRIGGER "autopartition_no_truncate" BEFORE TRUNCATE ON "public"."chat_messages" FOR EACH STATEMENT EXECUTE FUNCTION "autopartition"."migration_no_truncate"();
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
CREATE TABLE "autopartition"."migration_7_undo_log" (log_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "id" bigint, autopartition_old_key timestamp with time zone, autopartition_new_key timestamp with time zone);
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
CREATE OR REPLACE FUNCTION "autopartition"."migration_7_undo_capture"() RETURNS trigger LANGUAGE plpgsql AS $autopartition$
BEGIN
  RETURN NULL; -- dormant until the cutover
END
$autopartition$;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
CREATE TRIGGER "autopartition_undo_capture" AFTER INSERT OR UPDATE OR DELETE ON "public"."chat_messages_autopartition_new" FOR EACH ROW EXECUTE FUNCTION "autopartition"."migration_7_undo_capture"();
-- stage cutover
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME CONSTRAINT "chat_messages_pkey" TO "chat_messages_pkey_retired";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER INDEX "public"."chat_messages_chat_idx" RENAME TO "chat_messages_chat_idx_retired";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME TO "chat_messages_retired";
-- ACCESS_EXCLUSIVE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_autopartition_new" RENAME TO "chat_messages";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME CONSTRAINT "chat_messages_pkey_apnew" TO "chat_messages_pkey";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER INDEX "public"."chat_messages_chat_idx_apnew" RENAME TO "chat_messages_chat_idx";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER SEQUENCE "public"."chat_messages_id_seq" OWNED BY "public"."chat_messages"."id";
-- ACCESS_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" DROP CONSTRAINT "reactions_message_fkey";
-- SHARE_ROW_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" ADD CONSTRAINT "reactions_message_fkey" FOREIGN KEY ("message_id", "message_created_at") REFERENCES "public"."chat_messages" ("id", "created_at") ON DELETE CASCADE NOT VALID;
-- ACCESS_EXCLUSIVE on "public"."recent_messages", IN_TRANSACTION
CREATE OR REPLACE VIEW "public"."recent_messages" AS SELECT id, body FROM chat_messages;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages_retired", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_retired" DISABLE TRIGGER "touch";
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
CREATE TRIGGER touch BEFORE UPDATE ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION touch();
-- ACCESS_EXCLUSIVE on "public"."chat_messages_retired", IN_TRANSACTION
DROP TRIGGER IF EXISTS "autopartition_capture" ON "public"."chat_messages_retired";
-- ACCESS_EXCLUSIVE on "public"."chat_messages_retired", IN_TRANSACTION
DROP TRIGGER IF EXISTS "autopartition_no_truncate" ON "public"."chat_messages_retired";
-- NONE on "public"."chat_messages_retired", IN_TRANSACTION
DROP FUNCTION IF EXISTS "autopartition"."migration_7_capture"();
-- ACCESS_EXCLUSIVE on "autopartition"."migration_7_log", IN_TRANSACTION
DROP TABLE IF EXISTS "autopartition"."migration_7_log";
-- NONE on "public"."chat_messages", IN_TRANSACTION
CREATE OR REPLACE FUNCTION "autopartition"."migration_7_undo_capture"() RETURNS trigger LANGUAGE plpgsql AS $autopartition$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD."id") IS NOT DISTINCT FROM (NEW."id") THEN INSERT INTO "autopartition"."migration_7_undo_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (OLD."id", OLD."created_at", NEW."created_at");
  ELSE
    IF TG_OP <> 'INSERT' THEN INSERT INTO "autopartition"."migration_7_undo_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (OLD."id", OLD."created_at", NULL); END IF;
    IF TG_OP <> 'DELETE' THEN INSERT INTO "autopartition"."migration_7_undo_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (NEW."id", NULL, NEW."created_at"); END IF;
  END IF;
  RETURN NULL;
END
$autopartition$;
-- stage after_cutover
-- SHARE_UPDATE_EXCLUSIVE on "public"."reactions", OUTSIDE_TRANSACTION
ALTER TABLE "public"."reactions" VALIDATE CONSTRAINT "reactions_message_fkey";
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", OUTSIDE_TRANSACTION
ANALYZE "public"."chat_messages";
-- stage undo
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME CONSTRAINT "chat_messages_pkey" TO "chat_messages_pkey_apnew";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER INDEX "public"."chat_messages_chat_idx" RENAME TO "chat_messages_chat_idx_apnew";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME TO "chat_messages_autopartition_new";
-- ACCESS_EXCLUSIVE on "public"."chat_messages_retired", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_retired" RENAME TO "chat_messages";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME CONSTRAINT "chat_messages_pkey_retired" TO "chat_messages_pkey";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER INDEX "public"."chat_messages_chat_idx_retired" RENAME TO "chat_messages_chat_idx";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER SEQUENCE "public"."chat_messages_id_seq" OWNED BY "public"."chat_messages"."id";
-- ACCESS_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" DROP CONSTRAINT "reactions_message_fkey";
-- SHARE_ROW_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" ADD CONSTRAINT "reactions_message_fkey" FOREIGN KEY ("message_id") REFERENCES "public"."chat_messages" ("id") ON DELETE CASCADE NOT VALID;
-- ACCESS_EXCLUSIVE on "public"."recent_messages", IN_TRANSACTION
CREATE OR REPLACE VIEW "public"."recent_messages" AS SELECT id, body FROM chat_messages;
-- ACCESS_EXCLUSIVE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
DROP TRIGGER IF EXISTS "touch" ON "public"."chat_messages_autopartition_new";
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" ENABLE TRIGGER "touch";
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
CREATE OR REPLACE FUNCTION "autopartition"."migration_7_undo_capture"() RETURNS trigger LANGUAGE plpgsql AS $autopartition$
BEGIN
  RETURN NULL; -- dormant until the cutover
END
$autopartition$;
-- NONE on "public"."chat_messages", IN_TRANSACTION
CREATE TABLE "autopartition"."migration_7_log" (log_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "id" bigint, autopartition_old_key timestamp with time zone, autopartition_new_key timestamp with time zone);
-- NONE on "public"."chat_messages", IN_TRANSACTION
CREATE OR REPLACE FUNCTION "autopartition"."migration_7_capture"() RETURNS trigger LANGUAGE plpgsql AS $autopartition$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD."id") IS NOT DISTINCT FROM (NEW."id") THEN INSERT INTO "autopartition"."migration_7_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (OLD."id", OLD."created_at", NEW."created_at");
  ELSE
    IF TG_OP <> 'INSERT' THEN INSERT INTO "autopartition"."migration_7_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (OLD."id", OLD."created_at", NULL); END IF;
    IF TG_OP <> 'DELETE' THEN INSERT INTO "autopartition"."migration_7_log" ("id", autopartition_old_key, autopartition_new_key) VALUES (NEW."id", NULL, NEW."created_at"); END IF;
  END IF;
  RETURN NULL;
END
$autopartition$;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
CREATE TRIGGER "autopartition_capture" AFTER INSERT OR UPDATE OR DELETE ON "public"."chat_messages" FOR EACH ROW EXECUTE FUNCTION "autopartition"."migration_7_capture"();
-- NONE on "public"."chat_messages", IN_TRANSACTION
CREATE OR REPLACE FUNCTION "autopartition"."migration_no_truncate"() RETURNS trigger LANGUAGE plpgsql AS $autopartition$ BEGIN RAISE EXCEPTION '% is being migrated to a partitioned table; TRUNCATE would not be carried over. Abort or finish the migration first.', TG_TABLE_NAME; END $autopartition$;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
CREATE TRIGGER "autopartition_no_truncate" BEFORE TRUNCATE ON "public"."chat_messages" FOR EACH STATEMENT EXECUTE FUNCTION "autopartition"."migration_no_truncate"();
-- stage after_undo
-- SHARE_UPDATE_EXCLUSIVE on "public"."reactions", OUTSIDE_TRANSACTION
ALTER TABLE "public"."reactions" VALIDATE CONSTRAINT "reactions_message_fkey";
-- stage finalize
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
DROP TRIGGER IF EXISTS "autopartition_undo_capture" ON "public"."chat_messages";
-- NONE on "public"."chat_messages", IN_TRANSACTION
DROP FUNCTION IF EXISTS "autopartition"."migration_7_undo_capture"();
-- ACCESS_EXCLUSIVE on "autopartition"."migration_7_undo_log", IN_TRANSACTION
DROP TABLE IF EXISTS "autopartition"."migration_7_undo_log";
-- ACCESS_EXCLUSIVE on "public"."chat_messages_retired", IN_TRANSACTION
DROP TABLE "public"."chat_messages_retired";
-- stage abort
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
DROP TRIGGER IF EXISTS "autopartition_capture" ON "public"."chat_messages";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
DROP TRIGGER IF EXISTS "autopartition_no_truncate" ON "public"."chat_messages";
-- NONE on "public"."chat_messages", IN_TRANSACTION
DROP FUNCTION IF EXISTS "autopartition"."migration_7_capture"();
-- ACCESS_EXCLUSIVE on "autopartition"."migration_7_log", IN_TRANSACTION
DROP TABLE IF EXISTS "autopartition"."migration_7_log";
-- ACCESS_EXCLUSIVE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
DROP TRIGGER IF EXISTS "autopartition_undo_capture" ON "public"."chat_messages_autopartition_new";
-- NONE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
DROP FUNCTION IF EXISTS "autopartition"."migration_7_undo_capture"();
-- ACCESS_EXCLUSIVE on "autopartition"."migration_7_undo_log", IN_TRANSACTION
DROP TABLE IF EXISTS "autopartition"."migration_7_undo_log";
-- ACCESS_EXCLUSIVE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
DROP TABLE IF EXISTS "public"."chat_messages_autopartition_new" CASCADE;
