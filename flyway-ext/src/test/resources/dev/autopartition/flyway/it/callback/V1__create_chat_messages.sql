CREATE TABLE chat_messages (
  id bigint GENERATED ALWAYS AS IDENTITY,
  chat_id bigint NOT NULL,
  created_at timestamptz NOT NULL,
  message text NOT NULL
) PARTITION BY RANGE (created_at);
