/**
 * Document numbers are stored and checked in one normal form, so `19 FR-12345`, `19fr12345` and the MRZ's
 * `19FR12345<` all find the same record.
 */
// TD1 cards carry up to 9 characters in the number field plus 14 more in the optional data (ICAO 9303-5 4.2.4).
const MAX_DOCUMENT_NUMBER_LENGTH = 23;

const SEPARATORS = /[\s\-<./]/g;
const NORMAL_FORM = /^[A-Z0-9]+$/;

export function normalizeDocumentNumber(raw: string): string {
  return raw.toUpperCase().replace(SEPARATORS, '');
}

/** Why a (normalised) number cannot be a document number, or null when it can. */
export function documentNumberProblem(normalized: string): string | null {
  if (normalized.length === 0) return 'must not be empty';
  if (normalized.length > MAX_DOCUMENT_NUMBER_LENGTH)
    return `must be at most ${MAX_DOCUMENT_NUMBER_LENGTH} characters`;
  if (!NORMAL_FORM.test(normalized)) return 'may contain only letters A-Z and digits';
  return null;
}
