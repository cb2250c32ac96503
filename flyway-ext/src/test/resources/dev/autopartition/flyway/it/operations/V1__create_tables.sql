CREATE TABLE chat_messages (
  id bigint GENERATED ALWAYS AS IDENTITY,
  chat_id bigint NOT NULL,
  created_at timestamptz NOT NULL,
  message text NOT NULL
) PARTITION BY RANGE (created_at);

-- an empty plain table: autoPartition turns it into a partitioned one
CREATE TABLE metrics (
  id bigint NOT NULL,
  value double precision NOT NULL
);

CREATE TABLE audit_log (
  id bigint NOT NULL,
  entry text NOT NULL
) PARTITION BY RANGE (id);

CREATE TABLE tenant_settings (
  tenant text NOT NULL,
  settings jsonb NOT NULL
) PARTITION BY LIST (tenant);
