// How far a consumer group is behind on a topic, read with the admin client (demo progress, DLQ replay, tests).
import type { Admin } from 'kafkajs';

export interface PartitionProgress {
  readonly partition: number;
  /** The offset the next record written to the partition will get. */
  readonly end: bigint;
  /** Where the group resumes: its committed offset, 0 when it never committed. */
  readonly committed: bigint;
}

export async function groupProgress(admin: Admin, groupId: string, topic: string): Promise<PartitionProgress[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const at = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset === '-1' ? 0n : BigInt(p.offset)]));
  return ends.map((e) => ({ partition: e.partition, end: BigInt(e.high), committed: at.get(e.partition) ?? 0n }));
}

/**
 * Records of `topic` the group has not committed yet, for callers that poll until it is 0. A retriable broker
 * error (a group coordinator still moving, as on a broker that just started) answers Infinity, "not yet": the
 * admin client does not retry those requests itself.
 */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  try {
    return (await groupProgress(admin, groupId, topic)).reduce((sum, p) => sum + Number(p.end - p.committed), 0);
  } catch (e) {
    if ((e as { retriable?: unknown }).retriable === true) return Number.POSITIVE_INFINITY;
    throw e;
  }
}
