import { AgencyKinds } from './auth/caller';
import { canonicalCountry, isDocumentCountryCode, isIsoCountry, normalizeCountryCode } from './countries';
import { documentNumberProblem, normalizeDocumentNumber } from './documents/document-number';
import { BadUserInputError, type FieldProblem } from './errors';
import { allowsLines, normalizeText, textProblem } from './input/text';

/**
 * Collects every problem of one input, each naming its field path, then throws them all at once as one
 * BAD_USER_INPUT error. The mutations and the bulk import use the same rules through this class.
 */
export class InputValidator {
  readonly problems: FieldProblem[] = [];
  private todayIso: string | null = null;

  constructor(
    private readonly prefix = 'input',
    private readonly today = new Date(),
  ) {}

  private path(field: string): string {
    return this.prefix ? `${this.prefix}.${field}` : field;
  }

  problem(field: string, reason: string): void {
    this.problems.push({ field: this.path(field), reason });
  }

  /**
   * Free text: NFC, trimmed, bounded, and required unless `optional`; bad bytes refused by the one text rule
   * (shared/input/text.ts), which GraphQL requests already met before any resolver ran; the bulk import meets it
   * here. Returns the cleaned value.
   */
  text(field: string, value: string | null | undefined, max: number, optional = false): string | null {
    const cleaned = normalizeText(value ?? '').trim();
    if (!cleaned) {
      if (!optional) this.problem(field, 'is required');
      return null;
    }
    const bad = textProblem(cleaned, allowsLines(field));
    if (bad) this.problem(field, bad);
    if (cleaned.length > max) this.problem(field, `must be at most ${max} characters`);
    return cleaned;
  }

  /** A country an agency or a person belongs to: ISO 3166-1 alpha-3 only. */
  isoCountry(field: string, value: string | null | undefined, optional = false): string | null {
    const code = value?.trim().toUpperCase() ?? '';
    if (!code) {
      if (!optional) this.problem(field, 'is required');
      return null;
    }
    if (!isIsoCountry(code)) this.problem(field, `${code} is not an ISO 3166-1 alpha-3 country code`);
    return code;
  }

  /** A country a document may carry: ISO alpha-3 or an ICAO 9303 code (D, UTO, XXA...). */
  documentCountry(field: string, value: string | null | undefined, optional = false): string | null {
    const code = normalizeCountryCode(value ?? '');
    if (!code) {
      if (!optional) this.problem(field, 'is required');
      return null;
    }
    if (!isDocumentCountryCode(code))
      this.problem(field, `${code} is not an ISO 3166-1 alpha-3 or ICAO 9303 country code`);
    return code;
  }

  documentNumber(field: string, value: string | null | undefined): string | null {
    const normalized = normalizeDocumentNumber(value ?? '');
    const problem = documentNumberProblem(normalized);
    if (problem) {
      this.problem(field, problem);
      return null;
    }
    return normalized;
  }

  /** An ISO date (yyyy-mm-dd) that exists; `notFuture` for dates of past events, `future` for deadlines. */
  date(
    field: string,
    value: string | null | undefined,
    rule: { notFuture?: boolean; future?: boolean; optional?: boolean } = {},
  ): string | null {
    if (value === null || value === undefined || value === '') {
      if (!rule.optional) this.problem(field, 'is required');
      return null;
    }
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    // The calendar date must exist (no 2026-02-30). Compared by parts: toISOString() is a measurable share of
    // validating a million lines in the bulk import.
    const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
    const date = match ? new Date(Date.UTC(year, month - 1, day)) : null;
    if (
      !date ||
      date.getUTCFullYear() !== year ||
      date.getUTCMonth() !== month - 1 ||
      date.getUTCDate() !== day
    ) {
      this.problem(field, `${value} is not a date (yyyy-mm-dd)`);
      return null;
    }
    const today = (this.todayIso ??= this.today.toISOString().slice(0, 10));
    if (rule.notFuture && value > today) this.problem(field, 'must not be in the future');
    if (rule.future && value <= today) this.problem(field, 'must be in the future');
    if (value < '1900-01-01') this.problem(field, 'must not be before 1900');
    return value;
  }

  countryList(field: string, values: string[] | null | undefined): string[] | null {
    if (values === null || values === undefined) return null;
    if (values.length > 250) this.problem(field, 'must list at most 250 countries');
    // ICAO's own codes too (UTO, XXA, UNO…): a record may be kept from any country a bureau or body belongs to.
    const codes = values.map((value, i) =>
      canonicalCountry(this.documentCountry(`${field}.${i}`, value) ?? ''),
    );
    return [...new Set(codes)];
  }

  agencyKindList(field: string, values: string[] | null | undefined): string[] | null {
    if (values === null || values === undefined) return null;
    values.forEach((value, i) => {
      if (!(AgencyKinds as readonly string[]).includes(value))
        this.problem(`${field}.${i}`, `${value} is not an agency kind`);
    });
    return values;
  }

  throwIfInvalid(): void {
    if (this.problems.length > 0) throw new BadUserInputError(this.problems);
  }
}
