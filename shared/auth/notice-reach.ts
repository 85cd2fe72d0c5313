/**
 * Which notices each notice scope opens, and how far (docs/architecture.md, "Scope combinations"). A field rule
 * says whether a caller may ask for a field at all; this says on which notices the answer is given. Each scope
 * grants its own reach and no more: the reach of a caller is the union of its scopes' reaches, so holding a
 * second scope never widens what the first one grants. `notices:read:yellow` reads YELLOW notices in full
 * whatever else the caller holds; `notices:screen` beside it adds the identity of the other notices, not their
 * charges or warrants. Only `notices:read` (or the General Secretariat's `notices:publish`) reads every type in
 * full.
 */
export type NoticeLevel = 'identity' | 'full';

/** A set of notice types: every type, or a closed list (empty: none). */
export type NoticeTypeSet = { all: true } | { all: false; types: readonly string[] };

const ALL: NoticeTypeSet = { all: true };
const NONE: NoticeTypeSet = { all: false, types: [] };
const YELLOW: NoticeTypeSet = { all: false, types: ['YELLOW'] };

/**
 * Identity: type, control number, the subject's names, birth date, sex and nationalities (what screening needs).
 * Full: everything else (title, status, charges, warrants, documents, place of birth, marks, aliases, dates).
 */
const NOTICE_SCOPE_REACH: Readonly<Record<string, Readonly<Record<NoticeLevel, NoticeTypeSet>>>> = {
  'notices:screen': { identity: ALL, full: NONE },
  'notices:read': { identity: ALL, full: ALL },
  'notices:read:yellow': { identity: YELLOW, full: YELLOW },
  'notices:publish': { identity: ALL, full: ALL },
};

/** The notice types whose `level` fields a holder of `scopes` reads. */
export function noticeReach(scopes: Iterable<string>, level: NoticeLevel): NoticeTypeSet {
  const types = new Set<string>();
  for (const scope of scopes) {
    const reach = NOTICE_SCOPE_REACH[scope]?.[level];
    if (!reach) continue;
    if (reach.all) return ALL;
    for (const type of reach.types) types.add(type);
  }
  return types.size === 0 ? NONE : { all: false, types: [...types].sort() };
}

export function reachCovers(reach: NoticeTypeSet, type: string): boolean {
  return reach.all || reach.types.includes(type);
}

/** For documents: "every type", "YELLOW", "none". */
export function describeReach(reach: NoticeTypeSet): string {
  if (reach.all) return 'every type';
  return reach.types.length === 0 ? 'none' : reach.types.join(', ');
}

/**
 * The two field rules of notices: each names every scope that reads some notices at that level (so the gateway,
 * or Apollo Router, lets it through); the notices subgraph then answers a field only on the types the caller's
 * scopes reach (`RequiresScopesOnRecord`).
 */
export const NOTICE_IDENTITY = [
  ['notices:screen'],
  ['notices:read'],
  ['notices:read:yellow'],
  ['notices:publish'],
] as const;
export const NOTICE_FULL = [['notices:read'], ['notices:read:yellow'], ['notices:publish']] as const;

export const NOTICE_RULE_LEVELS: readonly { rule: readonly (readonly string[])[]; level: NoticeLevel }[] = [
  { rule: NOTICE_IDENTITY, level: 'identity' },
  { rule: NOTICE_FULL, level: 'full' },
];
