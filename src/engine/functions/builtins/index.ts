/** Every built-in scalar function, grouped by family. */
import type { LibraryFunctionDefinition } from '../define.js';
import { COLLECTION_FUNCTIONS } from './collections.js';
import { DATETIME_FUNCTIONS } from './datetime.js';
import { JSON_FUNCTIONS } from './json.js';
import { URL_FUNCTIONS } from './url.js';
import { MATH_FUNCTIONS } from './math.js';
import { NULL_FUNCTIONS } from './nulls.js';
import { OTHER_FUNCTIONS } from './other.js';
import { REGEX_FUNCTIONS } from './regex.js';
import { STRING_FUNCTIONS } from './strings.js';

export const BUILTIN_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  ...MATH_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...NULL_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...JSON_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...OTHER_FUNCTIONS,
];
