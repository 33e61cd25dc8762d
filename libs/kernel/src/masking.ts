/**
 * Masks a personal identification number for logs, spans, error bodies and screens: the first four and last two
 * digits stay, so staff can tell people apart without reading the number (`056080001234` → `0560******34`).
 * Values too short to mask meaningfully are masked entirely.
 */
export function maskPersonalId(value: string | undefined | null): string {
  if (!value) return '';
  if (value.length < 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 6)}${value.slice(-2)}`;
}
