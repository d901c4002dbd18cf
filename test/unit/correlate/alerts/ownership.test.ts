import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeOwnership, type OwnershipSample } from '../../../../src/correlate/alerts/ownership.ts';
import { loadConfig } from '../../../../src/shared/config/load.ts';

const prod = loadConfig({ WG_SIEM_NAMESPACE: 'production' });
const sample = (over: Partial<OwnershipSample>): OwnershipSample => ({ topic: prod['kafka.correlationTopic'], records: [], stateIndex: 'wg-siem-state-production', states: [], ...over });
const ownState = { id: `${prod['kafka.correlationGroupId']}:${prod['kafka.correlationTopic']}:0`, namespace: 'production' };

test('an empty topic and index, or only this deployment\'s records and state: start', () => {
  assert.deepEqual(judgeOwnership(prod, sample({})), { problems: [], notes: [] });
  const v = judgeOwnership(prod, sample({ records: [{ partition: 0, offset: '9', namespace: 'production' }, { partition: 1, offset: '3', namespace: 'production' }], states: [ownState] }));
  assert.deepEqual(v, { problems: [], notes: [] });
});

test('records written before the namespace header are no reason to refuse', () => {
  assert.deepEqual(judgeOwnership(prod, sample({ records: [{ partition: 0, offset: '9', namespace: null }] })).problems, []);
});

test('another namespace\'s newest record on any partition of the intermediate topic: refuse, naming the setting', () => {
  const v = judgeOwnership(prod, sample({ records: [{ partition: 0, offset: '9', namespace: 'production' }, { partition: 4, offset: '1400000', namespace: 'staging' }] }));
  assert.equal(v.problems.length, 1);
  assert.match(v.problems[0] ?? '', /carries records of another deployment \(namespace staging; partition\(s\) 4@1400000\)/);
  assert.match(v.problems[0] ?? '', /what to fix: .*kafka\.correlationTopic \(WG_SIEM_KAFKA_CORRELATION_TOPIC\)/);
});

test('another namespace\'s state document: refuse; state under old names: only a note', () => {
  const v = judgeOwnership(prod, sample({ states: [ownState, { id: 'wg-siem-correlate:wireguard.correlate:2', namespace: 'staging' }] }));
  assert.equal(v.problems.length, 1);
  assert.match(v.problems[0] ?? '', /holds correlation state of another deployment \(namespace staging.*what to fix: check the namespace setting \(WG_SIEM_NAMESPACE\)/s);
  const old = judgeOwnership(prod, sample({ states: [{ id: 'wg-siem-correlate:wireguard.correlate:2', namespace: null }] }));
  assert.deepEqual(old.problems, []);
  assert.match(old.notes[0] ?? '', /wg-siem-correlate:wireguard\.correlate \(group:topic\).*set them to the old names/);
});
