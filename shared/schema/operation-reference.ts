import { Directive, Field, ObjectType } from 'type-graphql';

/**
 * How travel-documents and notices point at a border-security operation and a border point (both owned by
 * partner-agencies): by key only; the gateway resolves the rest of their fields from partner-agencies.
 */
@Directive('@key(fields: "code", resolvable: false)')
@ObjectType('Operation', { description: 'A border-security operation (STOP, INFRA, IMEST…).' })
export class OperationReference {
  @Field({ description: 'Code of the operation, e.g. STOP-2026-CDG.' })
  code: string;
}

@Directive('@key(fields: "code", resolvable: false)')
@ObjectType('BorderPoint', {
  description: 'An airport, sea port or land crossing where documents are checked.',
})
export class BorderPointReference {
  @Field({ description: 'UN/LOCODE-style code with an optional terminal or lane suffix, e.g. FRCDG-T2.' })
  code: string;
}

export function operationReference(code: string | null): OperationReference | null {
  return code === null ? null : Object.assign(new OperationReference(), { code });
}

export function borderPointReference(code: string | null): BorderPointReference | null {
  return code === null ? null : Object.assign(new BorderPointReference(), { code });
}
