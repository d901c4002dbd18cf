import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeafNode, ModelNode, ObjectNode } from '../../../../src/shared/schema/gen/model.ts';
import { splitShared } from '../../../../src/shared/schema/gen/shared.ts';

const leaf = (path: string, required = false, esType = 'keyword'): LeafNode =>
  ({ kind: 'leaf', name: path.split('.').at(-1) ?? path, path, esType, array: false, required });
const obj = (path: string, children: readonly ModelNode[], extra: Partial<ObjectNode> = {}): ObjectNode =>
  ({ kind: 'object', name: path.split('.').at(-1) ?? path, path, children, required: children.some((c) => c.required), ...extra });
const root = (children: readonly ModelNode[]): ObjectNode => ({ ...obj('', children), required: true });
const names = (n: ObjectNode): string[] => n.children.map((c) => (c.kind === 'object' ? `${c.name}{${names(c).join(',')}}${c.required ? '!' : ''}` : c.name));

describe('splitShared', () => {
  it('keeps identical fields once and leaves each model only what differs', () => {
    const a = root([leaf('message', true), obj('data_stream', [leaf('data_stream.type'), leaf('data_stream.dataset', true)]), leaf('only_a')]);
    const b = root([leaf('message', true), obj('data_stream', [leaf('data_stream.type'), leaf('data_stream.dataset', true, 'constant_keyword')])]);
    const { common, own } = splitShared([a, b]);
    assert.deepEqual(names(common), ['message', 'data_stream{type}!']);
    assert.deepEqual(own.map(names), [['data_stream{dataset}!', 'only_a'], ['data_stream{dataset}!']]);
  });

  it('keeps an object required where only some models require it', () => {
    const a = root([obj('host', [leaf('host.name'), leaf('host.id', true)])]);
    const b = root([obj('host', [leaf('host.name'), leaf('host.id')])]);
    const { common, own } = splitShared([a, b]);
    assert.deepEqual(names(common), ['host{name}']);
    assert.deepEqual(own.map(names), [['host{id}!'], ['host{id}']]);
  });

  it('does not split a list of objects, whose members an intersection would not merge', () => {
    const list = (extra: readonly ModelNode[]): ObjectNode => obj('hits', [leaf('hits.id'), ...extra], { array: true });
    const { common, own } = splitShared([root([list([])]), root([list([leaf('hits.score')])])]);
    assert.deepEqual(names(common), []);
    assert.deepEqual(own.map(names), [['hits{id}'], ['hits{id,score}']]);
  });
});
