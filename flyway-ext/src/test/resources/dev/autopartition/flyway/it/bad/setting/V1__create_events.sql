-- an empty plain table: a valid autoPartition would turn it into a partitioned one
CREATE TABLE events (
  id bigint NOT NULL,
  created_at timestamptz NOT NULL,
  payload jsonb
);
