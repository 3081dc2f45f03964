/**
 * KServe's V2 (Open Inference Protocol) request and response shapes for the fraud model.
 * Inputs come either as one FP32/FP64 tensor of shape [N, F] in the bundle's feature order, or
 * as one tensor of shape [N] (or [N, 1]) per feature, named after it. Outputs: `score` (FP64
 * [N], reconstruction error), `alert` (BOOL [N]), `threshold` (FP64 [1]) and `top_features`
 * (BYTES [N, k], the features that explain each score most).
 */
import { z } from 'zod';
import type { ActiveModel } from './model-slot.js';

const NUMERIC_TYPES = ['FP16', 'FP32', 'FP64', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64'] as const;

type Nested = number | Nested[];
const nestedNumbers: z.ZodType<Nested> = z.lazy(() => z.union([z.number(), z.array(nestedNumbers)]));

const inputTensorSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()).min(1),
  datatype: z.enum(NUMERIC_TYPES),
  data: z.array(nestedNumbers),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const inferRequestSchema = z.object({
  id: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  inputs: z.array(inputTensorSchema).min(1),
  outputs: z.array(z.object({ name: z.string() })).optional(),
});

export type InferRequest = z.infer<typeof inferRequestSchema>;

/** A request that is well formed JSON but cannot be scored (shape, names, values). */
export class InferenceError extends Error {}

export function modelMetadata(model: ActiveModel) {
  const width = model.decoder.featureNames.length;
  return {
    name: model.name,
    versions: [model.version],
    platform: 'tensorflowjs_layers',
    inputs: [{ name: 'features', datatype: 'FP64', shape: [-1, width], parameters: { features: model.decoder.featureNames } }],
    outputs: [
      { name: 'score', datatype: 'FP64', shape: [-1] },
      { name: 'alert', datatype: 'BOOL', shape: [-1] },
      { name: 'threshold', datatype: 'FP64', shape: [1] },
      { name: 'top_features', datatype: 'BYTES', shape: [-1, -1] },
    ],
  };
}

export function runInference(model: ActiveModel, request: InferRequest, explain: number) {
  const rows = featureRows(model, request);
  const checked = rows.map((row, i) => {
    const c = model.decoder.checkFeatures(row);
    if (!c.ok) throw new InferenceError(`row ${i}: ${c.message}`);
    return c.features;
  });
  const scores = model.bundle.score(checked, { threshold: model.threshold, explain });
  const n = scores.length;
  const all = [
    { name: 'score', datatype: 'FP64', shape: [n], data: scores.map((s) => s.score) },
    { name: 'alert', datatype: 'BOOL', shape: [n], data: scores.map((s) => s.alert) },
    { name: 'threshold', datatype: 'FP64', shape: [1], data: [model.threshold] },
    { name: 'top_features', datatype: 'BYTES', shape: [n, explain], data: scores.flatMap((s) => s.topFeatures.map((f) => f.feature)) },
  ];
  const wanted = request.outputs?.map((o) => o.name);
  for (const name of wanted ?? []) {
    if (!all.some((o) => o.name === name)) throw new InferenceError(`unknown output '${name}'; the model has ${all.map((o) => o.name).join(', ')}`);
  }
  return {
    model_name: model.name,
    model_version: model.version,
    ...(request.id !== undefined ? { id: request.id } : {}),
    outputs: wanted === undefined ? all : all.filter((o) => wanted.includes(o.name)),
  };
}

/** The request's rows, each in the bundle's feature order. */
function featureRows(model: ActiveModel, request: InferRequest): number[][] {
  const names = model.decoder.featureNames;
  const width = names.length;
  if (request.inputs.length === 1 && request.inputs[0]!.shape.length === 2 && request.inputs[0]!.shape[1] === width && width !== 1) {
    const input = request.inputs[0]!;
    const flat = flatten(input);
    return Array.from({ length: input.shape[0]! }, (_, i) => flat.slice(i * width, (i + 1) * width));
  }
  // One tensor per feature, by name (case-insensitive, as the stream's columns are).
  const byName = new Map(request.inputs.map((t) => [t.name.toUpperCase(), t]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length > 0) {
    throw new InferenceError(
      `expected one input of shape [N, ${width}] in the order ${names.join(', ')}, or one input per feature; missing ${missing.join(', ')}`,
    );
  }
  const columns = names.map((n) => {
    const t = byName.get(n)!;
    if (t.shape.length > 2 || (t.shape.length === 2 && t.shape[1] !== 1)) throw new InferenceError(`input ${t.name} must have shape [N] or [N, 1]`);
    return flatten(t);
  });
  const rows = columns[0]!.length;
  if (columns.some((c) => c.length !== rows)) throw new InferenceError('every feature input needs the same number of rows');
  return Array.from({ length: rows }, (_, i) => columns.map((c) => c[i]!));
}

function flatten(tensor: InferRequest['inputs'][number]): number[] {
  const flat = (tensor.data as Nested[]).flat(Infinity as 1) as number[];
  const expected = tensor.shape.reduce((a, b) => a * b, 1);
  if (flat.length !== expected) {
    throw new InferenceError(`input ${tensor.name}: shape [${tensor.shape.join(', ')}] needs ${expected} values, got ${flat.length}`);
  }
  return flat;
}
