import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { parseMrz } from '../../shared/mrz/mrz';
import { RequiresScopes } from '../../shared/schema/access';
import { CheckContextInput } from '../../shared/schema/check-context.input';
import { checkDocuments } from './document-check.service';
import { CHECK, DocumentCheckInput, DocumentCheckResult } from './document-check.type';
import { MachineReadableZone, toMachineReadableZone } from './mrz.type';
import type { SltdLoaders } from './sltd-record.loader';

@Resolver()
export class DocumentCheckResolver {
  @RequiresScopes(...CHECK)
  @Query(() => [DocumentCheckResult], {
    nullable: true,
    description:
      'Checks up to 500 documents (MRZs or country + number) against the SLTD in one call. Every HIT creates a Hit for the record’s owner; every check is audited. With a `context`, the check is made in a border-security operation: it is recorded with the operation and the border point, and counts in the operation’s report.',
  })
  checkDocuments(
    @Arg('input', () => [DocumentCheckInput], {
      description: 'The documents, in the order results come back.',
    })
    input: DocumentCheckInput[],
    @Arg('context', () => CheckContextInput, {
      nullable: true,
      description:
        'Where the check is made, when in a border-security operation: an ACTIVE operation your agency takes part in and one of its border points (else BAD_USER_INPUT naming context.operation or context.borderPoint).',
    })
    context: CheckContextInput | undefined,
    @Ctx() ctx: SubgraphContext<SltdLoaders>,
  ): Promise<DocumentCheckResult[]> {
    return checkDocuments(ctx, input, context);
  }

  @RequiresScopes(...CHECK)
  @Query(() => MachineReadableZone, {
    nullable: true,
    description:
      'Decodes an ICAO 9303 MRZ (TD1, TD2, TD3, MRV-A, MRV-B) and checks every check digit. Reads no records.',
  })
  parseMrz(
    @Arg('mrz', { description: 'The zone: lines separated by line breaks, or run together.' }) mrz: string,
  ): MachineReadableZone {
    return toMachineReadableZone(parseMrz(mrz));
  }
}
