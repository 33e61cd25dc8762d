/**
 * Dossier code (mã hồ sơ) `{agency electronic id}-{yyMMdd}-{NNNN}` (domain.md §2.3): the receiving agency, the
 * receipt day in Vietnam's time zone, and a daily sequence per agency, zero-padded to four digits.
 */
export const dossierCodePattern = /^[0-9A-Z.]+-\d{6}-\d{4,}$/;

/** The receipt day `yyMMdd` in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving). */
export function receiptDay(receivedAt: Date): string {
  const local = new Date(receivedAt.getTime() + 7 * 3_600_000);
  const yy = String(local.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(local.getUTCDate()).padStart(2, '0');
  return `${yy}${mm}${dd}`;
}

export function formatDossierCode(agencyId: string, day: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a positive integer: ${sequence}`);
  return `${agencyId}-${day}-${String(sequence).padStart(4, '0')}`;
}

/** The parts of a dossier code; undefined when it does not have the format. */
export function parseDossierCode(code: string): { agencyId: string; day: string; sequence: number } | undefined {
  const match = /^([0-9A-Z.]+)-(\d{6})-(\d{4,})$/.exec(code);
  if (!match) return undefined;
  return { agencyId: match[1]!, day: match[2]!, sequence: Number(match[3]) };
}
