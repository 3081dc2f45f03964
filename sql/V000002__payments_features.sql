-- The preprocessed stream that training and scoring both read: one row per usable payment,
-- every payment kept whether labelled or not (production payments carry no label).
-- Cleaning: rows without an amount, with a negative amount or a missing component are dropped.
-- Anonymisation: the user name is masked. Features derived here, where SQL is the right place:
-- the hour of day of the event time and the log of the amount. Everything is cast to the
-- types the model reads; feature order and scaling live in the model bundle.
SET 'auto.offset.reset' = 'earliest';

CREATE STREAM IF NOT EXISTS PAYMENTS_FEATURES
  WITH (KAFKA_TOPIC = '${features_topic}', VALUE_FORMAT = 'JSON') AS
SELECT
  ID,
  MASK_KEEP_LEFT(`USER`, 1) AS USER_MASKED,
  ROWTIME AS EVENT_TIME,
  CAST((ROWTIME / 3600000) % 24 AS INTEGER) AS HOUR_OF_DAY,
  V1,
  V2,
  V3,
  V4,
  V5,
  V6,
  V7,
  V8,
  V9,
  V10,
  V11,
  V12,
  V13,
  V14,
  V15,
  V16,
  V17,
  V18,
  V19,
  V20,
  V21,
  V22,
  V23,
  V24,
  V25,
  V26,
  V27,
  V28,
  AMOUNT,
  LN(AMOUNT + 1) AS LOG_AMOUNT,
  CAST(CLASS AS INTEGER) AS LABEL
FROM PAYMENTS_RAW
WHERE AMOUNT IS NOT NULL
  AND AMOUNT >= 0
  AND V1 IS NOT NULL
  AND V2 IS NOT NULL
  AND V3 IS NOT NULL
  AND V4 IS NOT NULL
  AND V5 IS NOT NULL
  AND V6 IS NOT NULL
  AND V7 IS NOT NULL
  AND V8 IS NOT NULL
  AND V9 IS NOT NULL
  AND V10 IS NOT NULL
  AND V11 IS NOT NULL
  AND V12 IS NOT NULL
  AND V13 IS NOT NULL
  AND V14 IS NOT NULL
  AND V15 IS NOT NULL
  AND V16 IS NOT NULL
  AND V17 IS NOT NULL
  AND V18 IS NOT NULL
  AND V19 IS NOT NULL
  AND V20 IS NOT NULL
  AND V21 IS NOT NULL
  AND V22 IS NOT NULL
  AND V23 IS NOT NULL
  AND V24 IS NOT NULL
  AND V25 IS NOT NULL
  AND V26 IS NOT NULL
  AND V27 IS NOT NULL
  AND V28 IS NOT NULL
EMIT CHANGES;
