/** Where a bus holds one record of an event: for Kafka, its partition and offset on the topic. */
export interface RecordLocation {
  readonly partition: number;
  /** Kafka offsets are 64-bit: kept as the decimal text the client library gives. */
  readonly offset: string;
}
