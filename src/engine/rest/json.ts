/**
 * JSON text for REST bodies. Entities and error bodies may carry BIGINT values beyond 2^53, so
 * everything goes through lossless-json, which writes bigint as a plain JSON integer.
 */
import { stringify } from 'lossless-json';

export function toJsonText(value: unknown): string {
  return stringify(value) ?? 'null';
}
