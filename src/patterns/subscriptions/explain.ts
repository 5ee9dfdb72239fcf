/**
 * Why a Subscriptions filter did or did not match an event (`POST /v1/filters/test`). The decision
 * itself comes from the compiled predicate (the same one the router runs); this walk only says why.
 */
import { explainCompiled } from '../cesql/explain.js';
import type { Explanation } from '../matcher.js';
import { attributeString } from './compile.js';
import type { FilterNode } from './types.js';

type Reason = Explanation['reasons'][number];

const VERB = { exact: 'exactly', attributes: 'exactly', prefix: 'starting with', suffix: 'ending with' } as const;

/** Reasons the node is false for the event (empty when it is true). */
export function reasonsAgainst(node: FilterNode, event: Record<string, unknown>): Reason[] {
  switch (node.kind) {
    case 'exact':
    case 'attributes':
    case 'prefix':
    case 'suffix': {
      const reasons: Reason[] = [];
      for (const [name, expected] of node.entries) {
        const actual = attributeString(event, name);
        const ok =
          node.kind === 'prefix' ? actual?.startsWith(expected) === true
          : node.kind === 'suffix' ? actual?.endsWith(expected) === true
          : node.kind === 'attributes' && expected === '' ? true
          : actual === expected;
        if (ok) continue;
        reasons.push({
          field: name,
          reason:
            actual === undefined
              ? `${node.path}: the event has no attribute "${name}"`
              : `${node.path}: ${JSON.stringify(actual)} is not ${VERB[node.kind]} ${JSON.stringify(expected)}`,
        });
      }
      return reasons;
    }
    case 'all':
      return node.filters.flatMap((f) => reasonsAgainst(f, event));
    case 'any': {
      const each = node.filters.map((f) => reasonsAgainst(f, event));
      return each.some((r) => r.length === 0) ? [] : [{ field: node.path, reason: `${node.path}: no nested filter matched` }, ...each.flat()];
    }
    case 'not':
      return reasonsAgainst(node.filter, event).length === 0
        ? [{ field: node.path, reason: `${node.path}: the nested filter matched, so "not" is false` }]
        : [];
    case 'sql': {
      const explanation = explainCompiled(node.compiled, event, node.path);
      return explanation.matched ? [] : explanation.reasons.map((r) => ({ field: r.field, reason: `${node.path}: ${r.reason}` }));
    }
  }
}
