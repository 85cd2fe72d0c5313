import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { MrzResult } from '../../shared/mrz/mrz';

export enum MrzFormat {
  TD1 = 'TD1',
  TD2 = 'TD2',
  TD3 = 'TD3',
}
registerEnumType(MrzFormat, {
  name: 'MrzFormat',
  description: 'ICAO 9303 machine readable zone layout.',
  valuesConfig: {
    TD1: { description: 'Three lines of 30 characters (identity cards).' },
    TD2: { description: 'Two lines of 36 characters (cards, MRV-B visas).' },
    TD3: { description: 'Two lines of 44 characters (passports, MRV-A visas).' },
  },
});

@ObjectType('MrzCheckDigit', { description: 'One check digit of the zone and whether it holds.' })
export class MrzCheckDigit {
  @Field({ description: 'documentNumber, dateOfBirth, expiryDate, personalNumber or composite.' })
  field: string;

  @Field({ description: 'True when the digit matches the value it covers.' })
  valid: boolean;
}

/** A decoded MRZ. Decoding reads nothing from the database: it is the caller's own document. */
@ObjectType('MachineReadableZone', {
  description: 'An ICAO 9303 machine readable zone, decoded field by field.',
})
export class MachineReadableZone {
  @Field(() => MrzFormat, {
    nullable: true,
    description: 'Layout; null when the zone could not be read at all.',
  })
  format: MrzFormat | null;

  @Field(() => Boolean, { nullable: true, description: 'True for MRV-A and MRV-B visas.' })
  isVisa: boolean | null;

  @Field(() => String, { nullable: true, description: 'Document code, e.g. P, I, ID, AC, V.' })
  documentCode: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Issuing state or organisation, as written (D, UTO, FRA...).',
  })
  issuingCountry: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'English name of the issuing state, where one exists.',
  })
  issuingCountryName: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Document number, fillers removed (TD1 long numbers reassembled).',
  })
  documentNumber: string | null;

  @Field(() => String, { nullable: true, description: 'Primary identifier (surname).' })
  surname: string | null;

  @Field(() => String, { nullable: true, description: 'Secondary identifier (forenames), space separated.' })
  forenames: string | null;

  @Field(() => String, { nullable: true, description: 'Nationality code, as written.' })
  nationality: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'English name of the nationality’s state, where one exists.',
  })
  nationalityName: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Date of birth (ISO date, century resolved); null when unknown.',
  })
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true, description: 'F, M or X (unspecified).' })
  sex: string | null;

  @Field(() => String, { nullable: true, description: 'Date of expiry (ISO date, century resolved).' })
  expiryDate: string | null;

  @Field(() => String, { nullable: true, description: 'Personal number (TD3) or optional data (TD1, TD2).' })
  personalNumber: string | null;

  @Field({ description: 'True when every check digit holds and the zone is well formed.' })
  valid: boolean;

  @Field(() => [MrzCheckDigit], { description: 'Every check digit of the layout, in document order.' })
  checks: MrzCheckDigit[];

  @Field(() => [String], { description: 'What is wrong with the zone, each naming the field or line.' })
  problems: string[];
}

export function toMachineReadableZone(result: MrzResult): MachineReadableZone {
  if (!result.ok) {
    return {
      format: null,
      isVisa: null,
      documentCode: null,
      issuingCountry: null,
      issuingCountryName: null,
      documentNumber: null,
      surname: null,
      forenames: null,
      nationality: null,
      nationalityName: null,
      dateOfBirth: null,
      sex: null,
      expiryDate: null,
      personalNumber: null,
      valid: false,
      checks: [],
      problems: result.problems,
    };
  }
  const { mrz } = result;
  return { ...mrz, format: mrz.format as MrzFormat };
}
