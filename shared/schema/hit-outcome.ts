import { registerEnumType } from 'type-graphql';

/**
 * What was done after a confirmed hit, document or notice (docs/architecture.md, operations): recorded by the
 * hit's owner so that an operation can report its results. One enum for travel-documents and notices, so
 * composition sees the same type.
 */
export enum HitOutcomeAction {
  ARRESTED = 'ARRESTED',
  DETAINED = 'DETAINED',
  REFUSED_ENTRY = 'REFUSED_ENTRY',
  DOCUMENT_SEIZED = 'DOCUMENT_SEIZED',
  NO_ACTION = 'NO_ACTION',
}

registerEnumType(HitOutcomeAction, {
  name: 'HitOutcomeAction',
  description: 'What was done after a confirmed hit, recorded by the hit’s owner.',
  valuesConfig: {
    ARRESTED: { description: 'The person was arrested.' },
    DETAINED: { description: 'The person was detained pending a decision.' },
    REFUSED_ENTRY: { description: 'The person was refused entry.' },
    DOCUMENT_SEIZED: { description: 'The document was seized.' },
    NO_ACTION: { description: 'Nothing further was done.' },
  },
});
