/**
 * Seeded synthetic credit-card payments with the Kaggle data set's schema (Time, V1..V28,
 * Amount, Class) plus the extended layout's Id, Timestamp and User, for tests and benchmarks
 * (the real data set cannot be shipped).
 *
 * V1..V28 are PCA components in the real data: roughly independent, zero-mean, with falling
 * variance. Normal payments are drawn around zero with the real set's published standard
 * deviations; frauds mix a shifted, wider component (the real fraud means of the strongest
 * components) with a share of frauds that look normal, which is what keeps a real detector's
 * ROC AUC well below 1.
 */
import seedrandom from 'seedrandom';

export const FEATURE_COLUMNS = [
  'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7', 'V8', 'V9', 'V10', 'V11', 'V12', 'V13', 'V14',
  'V15', 'V16', 'V17', 'V18', 'V19', 'V20', 'V21', 'V22', 'V23', 'V24', 'V25', 'V26', 'V27', 'V28',
] as const;

export interface Payment {
  Id: number;
  /** ISO-8601 instant, as in the extended layout. */
  Timestamp: string;
  User: string;
  /** Seconds since the first payment of the data set. */
  Time: number;
  V1: number; V2: number; V3: number; V4: number; V5: number; V6: number; V7: number;
  V8: number; V9: number; V10: number; V11: number; V12: number; V13: number; V14: number;
  V15: number; V16: number; V17: number; V18: number; V19: number; V20: number; V21: number;
  V22: number; V23: number; V24: number; V25: number; V26: number; V27: number; V28: number;
  Amount: number;
  /** 1 for fraud, 0 otherwise, null when unlabelled (production payments carry no label). */
  Class: 0 | 1 | null;
}

/** Standard deviations of V1..V28 over the full public data set. */
const NORMAL_STD = [
  1.959, 1.651, 1.516, 1.416, 1.380, 1.332, 1.237, 1.194, 1.099, 1.089, 1.021, 0.999, 0.995, 0.959,
  0.915, 0.876, 0.849, 0.838, 0.814, 0.771, 0.735, 0.726, 0.624, 0.606, 0.521, 0.482, 0.404, 0.330,
];

/** Means of V1..V28 over the frauds of the full public data set. */
const FRAUD_MEAN = [
  -4.772, 3.624, -7.033, 4.542, -3.151, -1.398, -5.569, 0.571, -2.581, -5.677, 3.800, -6.259, -0.109, -6.972,
  -0.093, -4.140, -6.666, -2.246, 0.681, 0.372, 0.714, 0.014, -0.040, -0.105, 0.041, 0.052, 0.171, 0.076,
];

/** Fraud spread relative to the normal spread (frauds are much more dispersed). */
const FRAUD_SPREAD = 2.5;

/**
 * The real components are heavy-tailed: a few percent of normal payments lie far out. Drawing
 * that share with a wider spread gives the false alarms a real detector has to live with.
 */
const NORMAL_OUTLIER_SHARE = 0.03;
const NORMAL_OUTLIER_SPREAD = 3.5;

export interface SyntheticOptions {
  readonly count: number;
  readonly seed?: string | number;
  /** Share of frauds; the real set has 492 / 284,807 = 0.173%. */
  readonly fraudRate?: number;
  /** Share of frauds drawn like normal payments (undetectable by reconstruction). */
  readonly camouflagedFraudShare?: number;
  /** Epoch millis of the first payment. */
  readonly startMs?: number;
  /** Mean gap between payments in seconds (the real set: 172,792 s / 284,807 payments). */
  readonly meanGapSeconds?: number;
  readonly users?: readonly string[];
}

const DEFAULT_USERS = ['Kai', 'Hans', 'Anna', 'Ola', 'Mia', 'Ben', 'Lea', 'Tom', 'Eva', 'Max', 'Ida', 'Leo', 'Zoe', 'Jan', 'Pia', 'Tim'];

/** Generates `count` payments, the same ones for the same options. */
export function* generatePayments(opts: SyntheticOptions): Generator<Payment> {
  const random = seedrandom(String(opts.seed ?? 42));
  const fraudRate = opts.fraudRate ?? 0.00173;
  const camouflaged = opts.camouflagedFraudShare ?? 0.12;
  const startMs = opts.startMs ?? Date.UTC(2018, 11, 18, 12, 0, 0);
  const meanGap = opts.meanGapSeconds ?? 172_792 / 284_807;
  const users = opts.users ?? DEFAULT_USERS;
  const gaussian = (): number => {
    // Box-Muller; 1 - random() keeps log() away from 0.
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  let time = 0;
  for (let id = 1; id <= opts.count; id++) {
    const isFraud = random() < fraudRate;
    const looksNormal = !isFraud || random() < camouflaged;
    const spread = looksNormal && random() < NORMAL_OUTLIER_SHARE ? NORMAL_OUTLIER_SPREAD : 1;
    const payment = {
      Id: id,
      Timestamp: new Date(startMs + Math.round(time * 1000)).toISOString(),
      User: users[Math.floor(random() * users.length)]!,
      Time: Math.round(time),
    } as Payment;
    for (let i = 0; i < FEATURE_COLUMNS.length; i++) {
      const std = NORMAL_STD[i]!;
      const value = looksNormal ? gaussian() * std * spread : FRAUD_MEAN[i]! + gaussian() * std * FRAUD_SPREAD;
      payment[FEATURE_COLUMNS[i]!] = value;
    }
    // Amounts are log-normal: median ~22, long tail (real mean 88, fraud mean 122).
    const logAmount = isFraud ? 3.3 + gaussian() * 1.9 : 3.1 + gaussian() * 1.6;
    payment.Amount = Math.min(25_691.16, Math.round(Math.exp(logAmount) * 100) / 100);
    payment.Class = isFraud ? 1 : 0;
    yield payment;
    time += -Math.log(1 - random()) * meanGap;
  }
}
