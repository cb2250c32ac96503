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
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" ADD CONSTRAINT "autopartition_legacy" CHECK ("created_at" IS NOT NULL AND "created_at" < '2022-03-01 00:00:00+00'::timestamptz) NOT VALID;
-- stage prove
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" VALIDATE CONSTRAINT "autopartition_legacy";
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", CONCURRENTLY_AFTER_OLDER_TRANSACTIONS, creates "public"."chat_messages_pkey_apwide"
CREATE UNIQUE INDEX CONCURRENTLY "chat_messages_pkey_apwide" ON "public"."chat_messages" ("id", "created_at");
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", CONCURRENTLY_AFTER_OLDER_TRANSACTIONS, creates "public"."chat_messages_pkey_apundo"
CREATE UNIQUE INDEX CONCURRENTLY "chat_messages_pkey_apundo" ON "public"."chat_messages" ("id");
-- stage cutover
-- ACCESS_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" DROP CONSTRAINT "reactions_message_fkey";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
DROP TRIGGER "touch" ON "public"."chat_messages";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" DROP CONSTRAINT "chat_messages_pkey";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" ADD CONSTRAINT "chat_messages_pkey_apwide" PRIMARY KEY USING INDEX "chat_messages_pkey_apwide";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER INDEX "public"."chat_messages_chat_idx" RENAME TO "chat_messages_chat_idx_legacy";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME TO "chat_messages_legacy";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_autopartition_new" RENAME TO "chat_messages";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" ATTACH PARTITION "public"."chat_messages_legacy" FOR VALUES FROM (MINVALUE) TO ('2022-03-01 00:00:00+00'::timestamptz);
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_legacy" DROP CONSTRAINT "autopartition_legacy";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" RENAME CONSTRAINT "chat_messages_pkey_apnew" TO "chat_messages_pkey";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER INDEX "public"."chat_messages_chat_idx_apnew" RENAME TO "chat_messages_chat_idx";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER SEQUENCE "public"."chat_messages_id_seq" OWNED BY "public"."chat_messages"."id";
-- SHARE_ROW_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" ADD CONSTRAINT "reactions_message_fkey" FOREIGN KEY ("message_id", "message_created_at") REFERENCES "public"."chat_messages" ("id", "created_at") ON DELETE CASCADE NOT VALID;
-- ACCESS_EXCLUSIVE on "public"."recent_messages", IN_TRANSACTION
CREATE OR REPLACE VIEW "public"."recent_messages" AS SELECT id, body FROM chat_messages;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
CREATE TRIGGER touch BEFORE UPDATE ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION touch();
-- stage after_cutover
-- SHARE_UPDATE_EXCLUSIVE on "public"."reactions", OUTSIDE_TRANSACTION
ALTER TABLE "public"."reactions" VALIDATE CONSTRAINT "reactions_message_fkey";
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", OUTSIDE_TRANSACTION
ANALYZE "public"."chat_messages";
-- stage undo
-- ACCESS_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" DROP CONSTRAINT "reactions_message_fkey";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
DROP TRIGGER "touch" ON "public"."chat_messages";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" DETACH PARTITION "public"."chat_messages_legacy";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
INSERT INTO "public"."chat_messages_legacy" ("id", "chat_id", "created_at", "body") SELECT "id", "chat_id", "created_at", "body" FROM "public"."chat_messages" WHERE "created_at" >= '2022-03-01 00:00:00+00'::timestamptz;
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER SEQUENCE "public"."chat_messages_id_seq" OWNED BY "public"."chat_messages_legacy"."id";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
DROP TABLE "public"."chat_messages" CASCADE;
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
DO $autopartition$ DECLARE c record; BEGIN FOR c IN SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = '"public"."chat_messages_legacy"'::regclass AND contype IN ('p', 'u') AND (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = conrelid AND attname = 'created_at') = ANY (conkey) LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', '"public"."chat_messages_legacy"', c.conname); END LOOP; END $autopartition$;
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_legacy" ADD CONSTRAINT "chat_messages_pkey" PRIMARY KEY USING INDEX "chat_messages_pkey_apundo";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages_legacy" RENAME TO "chat_messages";
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER INDEX "public"."chat_messages_chat_idx_legacy" RENAME TO "chat_messages_chat_idx";
-- SHARE_ROW_EXCLUSIVE on "public"."reactions", IN_TRANSACTION
ALTER TABLE "public"."reactions" ADD CONSTRAINT "reactions_message_fkey" FOREIGN KEY ("message_id") REFERENCES "public"."chat_messages" ("id") ON DELETE CASCADE NOT VALID;
-- ACCESS_EXCLUSIVE on "public"."recent_messages", IN_TRANSACTION
CREATE OR REPLACE VIEW "public"."recent_messages" AS SELECT id, body FROM chat_messages;
-- SHARE_ROW_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
CREATE TRIGGER touch BEFORE UPDATE ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION touch();
-- stage after_undo
-- SHARE_UPDATE_EXCLUSIVE on "public"."reactions", OUTSIDE_TRANSACTION
ALTER TABLE "public"."reactions" VALIDATE CONSTRAINT "reactions_message_fkey";
-- stage finalize
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", CONCURRENTLY
DROP INDEX CONCURRENTLY IF EXISTS "public"."chat_messages_pkey_apundo";
-- stage abort
-- ACCESS_EXCLUSIVE on "public"."chat_messages", IN_TRANSACTION
ALTER TABLE "public"."chat_messages" DROP CONSTRAINT IF EXISTS "autopartition_legacy";
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", CONCURRENTLY
DROP INDEX CONCURRENTLY IF EXISTS "public"."chat_messages_pkey_apwide";
-- SHARE_UPDATE_EXCLUSIVE on "public"."chat_messages", CONCURRENTLY
DROP INDEX CONCURRENTLY IF EXISTS "public"."chat_messages_pkey_apundo";
-- ACCESS_EXCLUSIVE on "public"."chat_messages_autopartition_new", IN_TRANSACTION
DROP TABLE IF EXISTS "public"."chat_messages_autopartition_new" CASCADE;
