// Splits the models of data streams composed of the same component templates into what they all have alike
// and what each stream's own mapping adds or changes, so the alike part is generated once and each stream's
// type is `shared & own`. The split is exact: a property is required in the intersection iff it was before.
import type { ModelNode, ObjectNode } from './model.ts';

export interface SharedSplit {
  /** The fields every model has, identical in all of them. */
  readonly common: ObjectNode;
  /** Per model, in the order given: the fields it does not share, or shares only in part (objects). */
  readonly own: readonly ObjectNode[];
}

const same = (a: ModelNode, b: ModelNode): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Plain objects with the same description can share part of their children; a list of objects cannot be intersected member-wise. */
function splittable(nodes: readonly ModelNode[]): nodes is readonly ObjectNode[] {
  return nodes.every((n) => n.kind === 'object' && n.array !== true && n.doc === nodes[0]?.doc);
}

function childrenNamed(nodes: readonly ObjectNode[], name: string): ModelNode[] {
  return nodes.flatMap((n) => n.children.filter((c) => c.name === name));
}

function split(nodes: readonly ObjectNode[]): { common: ModelNode[]; own: ModelNode[][] } {
  const common: ModelNode[] = [];
  // Per shared name, what each model keeps of it; a name missing here is wholly the model's own.
  const ownParts = new Map<string, ReadonlyArray<ModelNode | undefined>>();
  for (const { name } of nodes[0]?.children ?? []) {
    const alike = childrenNamed(nodes, name);
    if (alike.length !== nodes.length) continue;
    const [first] = alike;
    if (first === undefined) continue;
    if (alike.every((c) => same(c, first))) {
      common.push(first);
      ownParts.set(name, alike.map(() => undefined));
      continue;
    }
    if (!splittable(alike) || first.kind !== 'object') continue;
    const sub = split(alike);
    if (sub.common.length === 0) continue;
    const required = alike.every((c) => c.required);
    common.push({ ...first, children: sub.common, required });
    ownParts.set(name, alike.map((c, i) => {
      const children = sub.own[i] ?? [];
      return children.length > 0 || c.required !== required ? { ...c, children } : undefined;
    }));
  }
  const own = nodes.map((n, i) => n.children.flatMap((c) => {
    const parts = ownParts.get(c.name);
    if (parts === undefined) return [c];
    const part = parts[i];
    return part === undefined ? [] : [part];
  }));
  return { common, own };
}

export function splitShared(roots: readonly ObjectNode[]): SharedSplit {
  const [first] = roots;
  if (first === undefined) throw new Error('splitShared: no models to split');
  const { common, own } = split(roots);
  return {
    common: { ...first, children: common },
    own: roots.map((r, i) => ({ ...r, children: own[i] ?? [] })),
  };
}
