/**
 * Errors of the topic log beyond the two the contract declares (TopicExistsError,
 * UnknownTopicError). Names follow Kafka's exceptions so callers can map them later.
 */

/** Kafka's InvalidTopicException: the name or configuration cannot be a topic. */
export class InvalidTopicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTopicError';
  }
}

/** A record named a partition the topic does not have (Kafka: UnknownTopicOrPartition). */
export class UnknownPartitionError extends Error {
  constructor(topic: string, partition: number) {
    super(`Partition ${partition} of topic '${topic}' does not exist.`);
    this.name = 'UnknownPartitionError';
  }
}

/** Stored bytes failed their checksum or framing (Kafka: CorruptRecordException). */
export class CorruptRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptRecordError';
  }
}

/** Another live process owns the data directory. */
export class LogLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The topic log in '${dir}' is in use by process ${ownerPid}. ` +
        'Stop that process or use another data directory ' +
        `(if process ${ownerPid} is not a topic log, delete '${dir}/.lock').`,
    );
    this.name = 'LogLockedError';
  }
}

/** The log or reader was used after close(). */
export class LogClosedError extends Error {
  constructor(what: string) {
    super(`${what} is closed.`);
    this.name = 'LogClosedError';
  }
}
