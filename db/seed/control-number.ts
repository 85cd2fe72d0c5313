import type { NoticeTypeName } from './tables';

/**
 * The letter a control number starts with, per notice type (A-123/11-2026 is a RED notice). Exported for the
 * hub to issue control numbers the same way the seed does.
 */
export const NOTICE_CONTROL_LETTERS: Readonly<Record<NoticeTypeName, string>> = {
  RED: 'A',
  BLUE: 'B',
  GREEN: 'C',
  YELLOW: 'D',
  BLACK: 'E',
  ORANGE: 'F',
  PURPLE: 'G',
  SILVER: 'H',
  UN_SPECIAL: 'U',
};

/** `${letter}-${sequence}/${MM}-${YYYY}`, month and year of the request (UTC). */
export function formatControlNumber(type: NoticeTypeName, sequence: number, requestedAt: Date): string {
  const month = String(requestedAt.getUTCMonth() + 1).padStart(2, '0');
  return `${NOTICE_CONTROL_LETTERS[type]}-${sequence}/${month}-${requestedAt.getUTCFullYear()}`;
}
