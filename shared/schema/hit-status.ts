import { registerEnumType } from 'type-graphql';

/**
 * Where a hit stands, document hit or notice hit (docs/architecture.md, operations): one enum for
 * travel-documents and notices, so composition sees one type.
 */
export enum HitStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  FALSE_POSITIVE = 'FALSE_POSITIVE',
}
registerEnumType(HitStatus, {
  name: 'HitStatus',
  description:
    'Where a hit (a document’s or a notice’s) stands: PENDING until the record’s owner confirms or rejects it.',
  valuesConfig: {
    PENDING: { description: 'Awaiting the owner’s decision.' },
    CONFIRMED: {
      description: 'The owner confirmed the match: the document or the person is the one reported.',
    },
    FALSE_POSITIVE: { description: 'The owner found the match was wrong.' },
  },
});

/** The owner's decision on a hit, document or notice (confirmHit, confirmNoticeHit). */
export enum HitOutcome {
  CONFIRMED = 'CONFIRMED',
  FALSE_POSITIVE = 'FALSE_POSITIVE',
}
registerEnumType(HitOutcome, {
  name: 'HitOutcome',
  description: 'The owner’s decision on a hit.',
  valuesConfig: {
    CONFIRMED: { description: 'The document or the person is the one reported.' },
    FALSE_POSITIVE: { description: 'It is not: the match was wrong.' },
  },
});
