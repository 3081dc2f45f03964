/**
 * The three query response formats (REST-API.md §3.2-3.4). A writer turns the events of a query
 * (start, rows, end, error) into the exact text ksqlDB writes; the handler does the I/O.
 */
import type { QueryRow, QueryStream } from '../api.js';
import { formatSqlType, quoteIdentifier } from '../types.js';
import type { GenericErrorBody } from './error-bodies.js';
import { toJsonText } from './json.js';
import { MediaTypes } from './media-types.js';
import { renderRestRow } from '../values/json-text.js';

export type Completion = ReturnType<QueryStream['completion']>;

export interface QueryResponseWriter {
  readonly contentType: string;
  /** Text before the first row: header / metadata. */
  begin(): string;
  /** Text for one row; '' when the format drops it (tombstones). */
  row(row: QueryRow): string;
  /** Text after the last row; `completion` null means the query was closed. */
  finish(completion: Completion): string;
  /** Text for a failure after streaming started; the response ends after it. */
  error(body: GenericErrorBody): string;
}

export type QueryFormat = 'streamed-row' | 'delimited' | 'json-array';

export function createQueryWriter(format: QueryFormat, stream: QueryStream): QueryResponseWriter {
  switch (format) {
    case 'streamed-row':
      return stream.kind === 'pull-table' ? new BufferedStreamedRowWriter(stream) : new StreamedRowWriter(stream);
    case 'delimited':
      return new DelimitedWriter(stream);
    case 'json-array':
      return new JsonArrayWriter(stream);
  }
}

/** QueryResponseMetadata of the new API's formats. */
function metadataJson(stream: QueryStream): string {
  return toJsonText({
    queryId: stream.queryId,
    columnNames: stream.columnNames,
    columnTypes: stream.columnTypes.map(formatSqlType),
  });
}

/**
 * The StreamedRow header's schema string. Push and stream pull queries list the projection
 * without KEY markers; table pull queries mark key columns.
 */
function headerSchema(stream: QueryStream): string {
  const markKeys = stream.kind === 'pull-table';
  return stream.columnNames
    .map((name, i) => {
      const type = stream.columnTypes[i];
      const text = `${quoteIdentifier(name)} ${type ? formatSqlType(type) : 'STRING'}`;
      return markKeys && stream.keyColumns[i] ? `${text} KEY` : text;
    })
    .join(', ');
}

function streamedHeader(stream: QueryStream): string {
  return `{"header":${toJsonText({ queryId: stream.queryId, schema: headerSchema(stream) })}}`;
}

function streamedRow(stream: QueryStream, row: QueryRow): string {
  const columns = renderRestRow(row.values, stream.columnTypes);
  return row.tombstone ? `{"row":{"columns":${columns},"tombstone":true}}` : `{"row":{"columns":${columns}}}`;
}

function streamedError(body: GenericErrorBody): string {
  return `{"errorMessage":${toJsonText(body)}}`;
}

/** Push and stream pull queries: every element is written as soon as it exists. */
class StreamedRowWriter implements QueryResponseWriter {
  readonly contentType = MediaTypes.KSQL_V1_JSON;
  constructor(private readonly stream: QueryStream) {}

  begin(): string {
    return `[${streamedHeader(this.stream)},\n`;
  }

  row(row: QueryRow): string {
    return `${streamedRow(this.stream, row)},\n`;
  }

  finish(completion: Completion): string {
    // A closed push query just stops; only a limit or exhausted input closes the array.
    return completion === null ? '' : `${toJsonText({ finalMessage: completion })}]`;
  }

  error(body: GenericErrorBody): string {
    return `${streamedError(body)},\n]`;
  }
}

/**
 * Table pull queries: no final message, so the last element is held back until it is known to
 * be the last and is then followed by ']' instead of ','.
 */
class BufferedStreamedRowWriter implements QueryResponseWriter {
  readonly contentType = MediaTypes.KSQL_V1_JSON;
  private held = '';
  constructor(private readonly stream: QueryStream) {}

  begin(): string {
    this.held = streamedHeader(this.stream);
    return '[';
  }

  row(row: QueryRow): string {
    return this.hold(streamedRow(this.stream, row));
  }

  finish(): string {
    return `${this.held}]`;
  }

  error(body: GenericErrorBody): string {
    return `${this.hold(streamedError(body))}${this.finish()}`;
  }

  private hold(element: string): string {
    const out = `${this.held},\n`;
    this.held = element;
    return out;
  }
}

class DelimitedWriter implements QueryResponseWriter {
  readonly contentType = MediaTypes.DELIMITED;
  constructor(private readonly stream: QueryStream) {}

  begin(): string {
    return `${metadataJson(this.stream)}\n`;
  }

  row(row: QueryRow): string {
    return row.tombstone ? '' : `${renderRestRow(row.values, this.stream.columnTypes)}\n`;
  }

  finish(): string {
    return '';
  }

  error(body: GenericErrorBody): string {
    return `${toJsonText(body)}\n`;
  }
}

class JsonArrayWriter implements QueryResponseWriter {
  readonly contentType = MediaTypes.JSON;
  constructor(private readonly stream: QueryStream) {}

  begin(): string {
    return `[${metadataJson(this.stream)}`;
  }

  row(row: QueryRow): string {
    return row.tombstone ? '' : `,${renderRestRow(row.values, this.stream.columnTypes)}`;
  }

  finish(): string {
    return ']';
  }

  error(body: GenericErrorBody): string {
    return `,${toJsonText(body)}]`;
  }
}
