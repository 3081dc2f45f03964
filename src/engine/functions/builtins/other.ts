/** Functions that do not fit another family. */
import { T, defineFunction, sameAs, sig, type LibraryFunctionDefinition } from '../define.js';

export const OTHER_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  // The engine uses AS_VALUE to copy a key column into the value; the function itself is identity.
  defineFunction('AS_VALUE', 'OTHER', 'Used exclusively in the projection of a query to allow a key column to be copied into the value schema. Has no affect if used anywhere else.', [
    sig([T], sameAs(0), ([v]) => v!, { acceptsNulls: true, names: ['keyColumn'] }),
  ]),
];
