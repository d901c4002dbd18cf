// Kafka ACLs through the admin API (the secured local stack grants wg-siem's user its rights with it).
import kafkajs from 'kafkajs';
import { createKafka, type KafkaTarget } from './client.ts';

// kafkajs is CommonJS: its enums are reached through the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

export type AclOperation = 'READ' | 'WRITE' | 'DESCRIBE' | 'CREATE';

export interface AclGrant {
  readonly type: 'topic' | 'group';
  /** A literal name: exactly this topic or group. */
  readonly name: string;
  readonly operations: readonly AclOperation[];
}

/** Allows `principal` (e.g. User:wg-siem) each operation of each grant, from any host. */
export async function grantAcls(admin: KafkaTarget, principal: string, grants: readonly AclGrant[]): Promise<void> {
  const a = createKafka(admin).admin();
  await a.connect();
  try {
    await a.createAcls({
      acl: grants.flatMap((g) => g.operations.map((op) => ({
        resourceType: g.type === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
        resourceName: g.name,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal,
        host: '*',
        operation: AclOperationTypes[op],
        permissionType: AclPermissionTypes.ALLOW,
      }))),
    });
  } finally {
    await a.disconnect();
  }
}
