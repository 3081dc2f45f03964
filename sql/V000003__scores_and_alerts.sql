-- What the scorer writes back: one score per payment, keyed by the payment id like the stream
-- it scores (src/scorer/scores-schema.ts writes exactly these columns, as JSON). ROWTIME is the
-- payment's event time; SCORED_AT is when the scorer scored it. TOP_FEATURES explains a score:
-- the features the model reconstructed worst. The scorer writes in Kafka transactions, and
-- ksqlDB reads them committed only.
CREATE STREAM IF NOT EXISTS PAYMENT_SCORES (
  ID BIGINT KEY,
  USER_MASKED STRING,
  AMOUNT DOUBLE,
  LABEL INTEGER,
  SCORE DOUBLE,
  THRESHOLD DOUBLE,
  ALERT BOOLEAN,
  MODEL_VERSION STRING,
  TOP_FEATURES ARRAY<STRUCT<FEATURE STRING, ERROR DOUBLE>>,
  SCORED_AT BIGINT
) WITH (
  KAFKA_TOPIC = '${scores_topic}',
  VALUE_FORMAT = 'JSON',
  PARTITIONS = ${scores_partitions}
);

-- Alerts: the scores above their model's threshold, for whoever acts on them.
SET 'auto.offset.reset' = 'earliest';

CREATE STREAM IF NOT EXISTS PAYMENT_ALERTS
  WITH (KAFKA_TOPIC = '${alerts_topic}', VALUE_FORMAT = 'JSON') AS
SELECT
  ID,
  USER_MASKED,
  AMOUNT,
  LABEL,
  SCORE,
  THRESHOLD,
  MODEL_VERSION,
  TOP_FEATURES,
  SCORED_AT
FROM PAYMENT_SCORES
WHERE ALERT
EMIT CHANGES;
