import { BadUserInputError, ConflictError } from '../../shared/errors';
import { DocumentType } from '../../shared/documents/document-type';
import { NoticeStatus, NoticeType } from './notice.entity';
import type { RequestNoticeInput } from './notice.input';
import { expectStatus, validateNoticeRequest } from './notice.service';

/** The notice rules without a database or HTTP: what a request must hold, and which status changes are allowed. */
const NOW = new Date('2026-06-15T12:00:00Z');

const redNotice = (over: Partial<RequestNoticeInput> = {}): RequestNoticeInput => ({
  type: NoticeType.RED,
  title: 'Armed robbery',
  subject: { surname: 'Doe', forenames: 'Jane', dateOfBirth: '1980-02-03', sex: 'f', nationalities: ['FRA'] },
  charges: ['Armed robbery'],
  arrestWarrants: [
    {
      warrantNumber: 'W-1',
      issuingAuthority: 'Paris court',
      issuedOn: '2026-01-10',
      charges: 'Armed robbery',
    },
  ],
  ...over,
});

function problemsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return (error as BadUserInputError).extensions.problems;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('validateNoticeRequest', () => {
  test('a complete RED notice becomes a draft: sex upper-cased, review date 5 years on', () => {
    const draft = validateNoticeRequest(redNotice(), NOW);
    expect(draft.notice).toMatchObject({
      type: NoticeType.RED,
      title: 'Armed robbery',
      subjectSurname: 'Doe',
      subjectForenames: 'Jane',
      subjectSex: 'F',
      subjectNationalities: ['FRA'],
      charges: ['Armed robbery'],
      ownerReviewDate: null,
      reviewDate: '2031-06-15',
    });
    expect(draft.warrants).toEqual([
      {
        warrantNumber: 'W-1',
        issuingAuthority: 'Paris court',
        issuedOn: '2026-01-10',
        charges: 'Armed robbery',
      },
    ]);
    expect(draft.aliases).toEqual([]);
    expect(draft.documents).toEqual([]);
  });

  test('a RED notice without a charge or an arrest warrant is refused naming both fields', () => {
    expect(
      problemsOf(() => validateNoticeRequest(redNotice({ charges: [], arrestWarrants: [] }), NOW)),
    ).toEqual([
      { field: 'input.charges', reason: 'a RED notice needs at least one charge' },
      { field: 'input.arrestWarrants', reason: 'a RED notice needs at least one arrest warrant' },
    ]);
  });

  test('a YELLOW notice needs neither charges nor warrants', () => {
    const draft = validateNoticeRequest(
      { type: NoticeType.YELLOW, title: 'Missing person', charges: [], arrestWarrants: [] },
      NOW,
    );
    expect(draft.notice).toMatchObject({ type: NoticeType.YELLOW, charges: [] });
    expect(draft.warrants).toEqual([]);
  });

  test('every problem is named at once: bad sex, an alias without a name, the same document twice', () => {
    const input = redNotice({
      subject: { surname: 'Doe', sex: 'Q' },
      aliases: [{ surname: ' ', forenames: null }],
      documents: [
        { issuingCountry: 'FRA', documentNumber: '12AB34567', documentType: DocumentType.PASSPORT },
        { issuingCountry: 'FRA', documentNumber: '12AB34567', documentType: DocumentType.PASSPORT },
      ],
    });
    expect(problemsOf(() => validateNoticeRequest(input, NOW))).toEqual([
      { field: 'input.subject.sex', reason: 'must be F, M or X' },
      { field: 'input.aliases.0', reason: 'needs a surname or forenames' },
      { field: 'input.documents.1', reason: 'is the same document as documents.0' },
    ]);
  });

  test('the owner’s review date may be earlier than 5 years, never later', () => {
    expect(validateNoticeRequest(redNotice({ reviewDate: '2028-01-01' }), NOW).notice).toMatchObject({
      ownerReviewDate: '2028-01-01',
      reviewDate: '2028-01-01',
    });
    expect(problemsOf(() => validateNoticeRequest(redNotice({ reviewDate: '2031-06-16' }), NOW))).toEqual([
      { field: 'input.reviewDate', reason: 'must be at most 5 years from today (2031-06-15)' },
    ]);
  });
});

describe('expectStatus, the status rule every change runs', () => {
  test('an allowed status passes', () => {
    expect(() =>
      expectStatus({ status: NoticeStatus.REQUESTED }, [NoticeStatus.REQUESTED], 'published'),
    ).not.toThrow();
  });

  test('any other is a CONFLICT on id saying what the notice is and what it must be', () => {
    let error: unknown;
    try {
      expectStatus({ status: NoticeStatus.REFUSED }, [NoticeStatus.PUBLISHED], 'cancelled');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe(
      'The notice is REFUSED: only a PUBLISHED notice can be cancelled',
    );
    expect((error as ConflictError).extensions).toEqual({ code: 'CONFLICT', field: 'id' });
  });
});
