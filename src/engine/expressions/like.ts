/** SQL LIKE as ksqlDB's LikeEvaluator compiles it to a Java regex. */
import { KsqlError } from '../errors.js';

/**
 * The regex for a LIKE pattern: % and _ wildcards, other characters literal, the character after
 * `escape` literal; matches the whole string.
 */
export function likeRegex(pattern: string, escape: string | undefined): RegExp {
  let regex = '';
  let escaped = false;
  for (const c of pattern) {
    if (escaped) {
      regex += escapeRegex(c);
      escaped = false;
    } else if (escape !== undefined && c === escape) {
      escaped = true;
    } else if (c === '%') {
      regex += '.*';
    } else if (c === '_') {
      regex += '.';
    } else {
      regex += escapeRegex(c);
    }
  }
  if (escaped) throw new KsqlError('LIKE pattern must not end with escape character');
  return new RegExp('^(?:' + regex + ')$', 'u');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
