-- Reference data the other statements look up: the users payments belong to, and each model's
-- training baseline.

-- The training baseline of every feature (the scaler's mean and standard deviation, fitted on
-- the training split's normal payments), one row per model, written from the bundle when the
-- model is published (publishFeatureBaseline in src/pipeline/feature-baseline.ts).
CREATE TABLE IF NOT EXISTS FEATURE_BASELINE (
  MODEL_NAME STRING PRIMARY KEY,
  MODEL_VERSION STRING,
  V1_MEAN DOUBLE,
  V1_STD DOUBLE,
  V2_MEAN DOUBLE,
  V2_STD DOUBLE,
  V3_MEAN DOUBLE,
  V3_STD DOUBLE,
  V4_MEAN DOUBLE,
  V4_STD DOUBLE,
  V5_MEAN DOUBLE,
  V5_STD DOUBLE,
  V6_MEAN DOUBLE,
  V6_STD DOUBLE,
  V7_MEAN DOUBLE,
  V7_STD DOUBLE,
  V8_MEAN DOUBLE,
  V8_STD DOUBLE,
  V9_MEAN DOUBLE,
  V9_STD DOUBLE,
  V10_MEAN DOUBLE,
  V10_STD DOUBLE,
  V11_MEAN DOUBLE,
  V11_STD DOUBLE,
  V12_MEAN DOUBLE,
  V12_STD DOUBLE,
  V13_MEAN DOUBLE,
  V13_STD DOUBLE,
  V14_MEAN DOUBLE,
  V14_STD DOUBLE,
  V15_MEAN DOUBLE,
  V15_STD DOUBLE,
  V16_MEAN DOUBLE,
  V16_STD DOUBLE,
  V17_MEAN DOUBLE,
  V17_STD DOUBLE,
  V18_MEAN DOUBLE,
  V18_STD DOUBLE,
  V19_MEAN DOUBLE,
  V19_STD DOUBLE,
  V20_MEAN DOUBLE,
  V20_STD DOUBLE,
  V21_MEAN DOUBLE,
  V21_STD DOUBLE,
  V22_MEAN DOUBLE,
  V22_STD DOUBLE,
  V23_MEAN DOUBLE,
  V23_STD DOUBLE,
  V24_MEAN DOUBLE,
  V24_STD DOUBLE,
  V25_MEAN DOUBLE,
  V25_STD DOUBLE,
  V26_MEAN DOUBLE,
  V26_STD DOUBLE,
  V27_MEAN DOUBLE,
  V27_STD DOUBLE,
  V28_MEAN DOUBLE,
  V28_STD DOUBLE,
  LOG_AMOUNT_MEAN DOUBLE,
  LOG_AMOUNT_STD DOUBLE,
  HOUR_OF_DAY_MEAN DOUBLE,
  HOUR_OF_DAY_STD DOUBLE
) WITH (
  KAFKA_TOPIC = '${baseline_topic}',
  VALUE_FORMAT = 'JSON',
  PARTITIONS = ${payments_partitions}
);

-- The original's enrichment example: payments joined with the users they belong to, with the
-- personal data masked on the way out. USERS is a table keyed by the user id that payments
-- carry; the sample rows are the synthetic generator's users (the Kaggle data has none). They
-- are stamped ROWTIME 0: a stream-table join looks a payment up in the table as of the
-- payment's event time, and these users have been there all along.
CREATE TABLE IF NOT EXISTS USERS (
  USER_ID STRING PRIMARY KEY,
  FIRST_NAME STRING,
  LAST_NAME STRING,
  EMAIL STRING,
  COUNTRY STRING
) WITH (
  KAFKA_TOPIC = '${users_topic}',
  VALUE_FORMAT = 'JSON',
  PARTITIONS = ${payments_partitions}
);

INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Kai', 'Kai', 'Waehner', 'kai.waehner@example.com', 'DE');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Hans', 'Hans', 'Schmidt', 'hans.schmidt@example.com', 'DE');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Anna', 'Anna', 'Novak', 'anna.novak@example.com', 'CZ');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Ola', 'Ola', 'Nordmann', 'ola.nordmann@example.com', 'NO');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Mia', 'Mia', 'Rossi', 'mia.rossi@example.com', 'IT');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Ben', 'Ben', 'Dubois', 'ben.dubois@example.com', 'FR');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Lea', 'Lea', 'Weber', 'lea.weber@example.com', 'DE');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Tom', 'Tom', 'Jansen', 'tom.jansen@example.com', 'NL');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Eva', 'Eva', 'Kowalski', 'eva.kowalski@example.com', 'PL');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Max', 'Max', 'Meyer', 'max.meyer@example.com', 'DE');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Ida', 'Ida', 'Larsen', 'ida.larsen@example.com', 'DK');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Leo', 'Leo', 'Costa', 'leo.costa@example.com', 'PT');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Zoe', 'Zoe', 'Fischer', 'zoe.fischer@example.com', 'DE');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Jan', 'Jan', 'Berg', 'jan.berg@example.com', 'SE');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Pia', 'Pia', 'Moreau', 'pia.moreau@example.com', 'FR');
INSERT INTO USERS (ROWTIME, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY) VALUES (0, 'Tim', 'Tim', 'Keller', 'tim.keller@example.com', 'CH');

SET 'auto.offset.reset' = 'earliest';

-- A stream-table join: each payment looks its user up (the stream is re-keyed by user first).
CREATE STREAM IF NOT EXISTS PAYMENTS_ENRICHED
  WITH (KAFKA_TOPIC = '${enriched_topic}', VALUE_FORMAT = 'JSON') AS
SELECT
  p.ID AS ID,
  p.`USER` AS USER_ID,
  MASK_KEEP_LEFT(u.FIRST_NAME, 1) AS FIRST_NAME,
  MASK(u.LAST_NAME) AS LAST_NAME,
  MASK_LEFT(u.EMAIL, 3) AS EMAIL,
  u.COUNTRY AS COUNTRY,
  p.AMOUNT AS AMOUNT,
  p.CLASS AS CLASS
FROM PAYMENTS_RAW p
LEFT JOIN USERS u ON p.`USER` = u.USER_ID
EMIT CHANGES;
