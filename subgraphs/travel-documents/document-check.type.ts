import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
import { RequiresScopes } from '../../shared/schema/access';
import { Hit, HIT_READ } from './hit.entity';
import { MachineReadableZone } from './mrz.type';
import { TravelDocument } from './travel-document.type';

export enum CheckVerdict {
  HIT = 'HIT',
  NO_HIT = 'NO_HIT',
  INVALID_INPUT = 'INVALID_INPUT',
}
registerEnumType(CheckVerdict, {
  name: 'CheckVerdict',
  description: 'The answer to a border check.',
  valuesConfig: {
    HIT: { description: 'The document is on file in the SLTD: hold it and contact the owner.' },
    NO_HIT: { description: 'No record you may see matches the document.' },
    INVALID_INPUT: {
      description:
        'The input is faulty (see problems): unreadable, or an MRZ whose check digits fail (itself a fraud indicator). A faulty input whose number is on file still answers HIT.',
    },
  },
});

export const CHECK = [['sltd:check']] as const;

@InputType({
  description:
    'One document to check: either its machine readable zone (`mrz`), or its issuing country and number.',
})
export class DocumentCheckInput {
  @Field(() => String, {
    nullable: true,
    description: 'The MRZ as scanned: lines separated by line breaks or run together.',
  })
  mrz?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Issuing country code (with documentNumber, instead of mrz).',
  })
  issuingCountry?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Document number, in any usual spelling (with issuingCountry).',
  })
  documentNumber?: string;

  @Field(() => DocumentType, { nullable: true, description: 'Kind of document, when known.' })
  documentType?: DocumentType;

  @Field(() => String, {
    nullable: true,
    description: 'Where the check happens (e.g. CDG T2 gate 34), recorded on a hit.',
  })
  location?: string;
}

@ObjectType('DocumentCheckResult', {
  description: 'The result of checking one document, in the order of the input.',
})
export class DocumentCheckResult {
  @RequiresScopes(...CHECK)
  @Field(() => CheckVerdict, { nullable: true, description: 'HIT, NO_HIT or INVALID_INPUT.' })
  verdict: CheckVerdict;

  @RequiresScopes(...CHECK)
  @Field(() => [String], {
    nullable: true,
    description:
      'What is wrong with the input, each naming the field. A failing MRZ check digit is listed here (and is itself a fraud indicator) while the number is still checked.',
  })
  problems: string[];

  @RequiresScopes(...CHECK)
  @Field(() => MachineReadableZone, {
    nullable: true,
    description: 'The decoded MRZ, when the input was one.',
  })
  mrz: MachineReadableZone | null;

  @RequiresScopes(...CHECK)
  @Field(() => TravelDocument, {
    nullable: true,
    description:
      'The checked document; follow it to its SLTD record, alerts and notices (each with its own access rule).',
  })
  document: TravelDocument | null;

  @RequiresScopes(...HIT_READ)
  @Field(() => Hit, { nullable: true, description: 'The hit this check created, when the verdict is HIT.' })
  hit: Hit | null;
}
