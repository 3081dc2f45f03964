/**
 * Natural logarithm rounded like Java's Math.log. V8's Math.log can be one ulp off the correctly
 * rounded result (Math.log(3) = 1.0986122886681096, Java gives ...098), which shows in ksqlDB's
 * own expected outputs. This computes ln(x) in double-double arithmetic and rounds once.
 */

type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

const SPLITTER = 134217729; // 2^27 + 1

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ta = SPLITTER * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLITTER * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [hi, lo] = twoSum(s, e + a[1] + b[1]);
  return [hi, lo];
}

function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

function ddDiv(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = ddAdd(a, ddMul([-q1, 0], b));
  const q2 = r[0] / b[0];
  return twoSum(q1, q2);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** ln(x) for finite positive x; other inputs follow Math.log (NaN, -Infinity, Infinity). */
export function javaLog(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)): ln x = e ln2 + 2 atanh((m - 1) / (m + 1)).
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  if (!Number.isFinite(m) || m === 0) return Math.log(x);
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  } else if (m < Math.SQRT1_2) {
    m *= 2;
    e -= 1;
  }
  const s = ddDiv(twoSum(m, -1), twoSum(m, 1));
  const s2 = ddMul(s, s);
  // atanh(s) = s (1 + s^2/3 + s^4/5 + ...); |s| < 0.172, so 24 terms reach double-double precision.
  let sum: DD = [0, 0];
  for (let k = 47; k >= 1; k -= 2) {
    sum = ddAdd(ddMul(sum, s2), [1 / k, (1 - (1 / k) * k) / k]);
  }
  const atanh = ddMul(s, sum);
  const result = ddAdd(ddMul(LN2, [e, 0]), ddAdd(atanh, atanh));
  return result[0] + result[1];
}
