/**
 * Vietnamese personal names compared the way a clerk would read them (domain.md §3.5). Pure TypeScript.
 *
 * A syllable is reduced to its letters (with circumflex, breve, horn and đ kept) and its tone, wherever the tone mark
 * sits: "hoà" and "hòa", "thuỷ" and "thủy", NFC and NFD spellings, upper and lower case all give the same key.
 * Folding also drops the letter marks and turns đ into d, for names typed without diacritics.
 */

// Combining tone marks: huyền, sắc, ngã, hỏi, nặng, and the deprecated grave/acute tone marks U+0340/U+0341.
const toneMarks: Readonly<Record<string, string>> = {
  '\u0300': 'F',
  '\u0340': 'F',
  '\u0301': 'S',
  '\u0341': 'S',
  '\u0303': 'X',
  '\u0309': 'R',
  '\u0323': 'J',
};
const combiningMark = /[\u0300-\u036f]/g;

/** Words of a name: trimmed, split on any whitespace (including no-break spaces), empty parts dropped. */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFC')
    .split(/[\s\u00a0\u200b]+/u)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/**
 * The tone-placement-free key of one syllable, e.g. `hoa` + tone `F` for both "hoà" and "hòa". Every tone mark
 * counts (a syllable typed with two marks is not the one with the first mark only).
 */
export function syllableKey(syllable: string): string {
  const tones: string[] = [];
  const letters = syllable
    .normalize('NFD')
    .toLocaleLowerCase('vi')
    .replace(combiningMark, (mark) => {
      const t = toneMarks[mark];
      if (t === undefined) return mark;
      tones.push(t);
      return '';
    })
    .normalize('NFC');
  return `${letters}${tones.sort().join('')}`;
}

/** A syllable without any mark: "Đặng" → "dang". */
export function foldSyllable(syllable: string): string {
  return syllable.normalize('NFD').replace(combiningMark, '').replace(/[đĐ]/g, 'd').toLocaleLowerCase('vi');
}

/** True when the text carries any Vietnamese mark (tone, letter mark or đ). */
export function hasDiacritics(text: string): boolean {
  return /[\u0300-\u036fđĐ]/u.test(text.normalize('NFD'));
}

/** The canonical comparison form of a full name: syllable keys joined by single spaces. */
export function canonicalName(name: string): string {
  return nameTokens(name).map(syllableKey).join(' ');
}

/** The folded form of a full name (no marks, lower case, single spaces). */
export function foldedName(name: string): string {
  return nameTokens(name).map(foldSyllable).join(' ');
}

/** How two spellings of a name relate, from the strongest agreement to none. */
export const NameOutcome = {
  /** Character for character the same. */
  Exact: 'EXACT',
  /** The same name once case, spacing, Unicode form and tone-mark placement are set aside. */
  Equivalent: 'EQUIVALENT',
  /** One side was typed without diacritics; the letters agree. */
  MissingDiacritics: 'MISSING_DIACRITICS',
  /**
   * The same name in a Western order: the family name moved to the end ("Thị Hoà Nguyễn"), the given name moved to
   * the front ("Hoà Nguyễn Thị"), or the whole name reversed ("Hoà Thị Nguyễn"). Any other reordering is SIMILAR at
   * best ("Nguyễn Thị Mai Hoa" and "Nguyễn Thị Hoa Mai" are two given names).
   */
  OrderSwapped: 'ORDER_SWAPPED',
  /** Both sides carry diacritics and the letters agree, but the marks differ ("Hùng" / "Hưng"): maybe a typo. */
  DiacriticsDiffer: 'DIACRITICS_DIFFER',
  /** Close but not equal (a typo, a dropped middle name). */
  Similar: 'SIMILAR',
  Different: 'DIFFERENT',
} as const;
export type NameOutcome = (typeof NameOutcome)[keyof typeof NameOutcome];

export interface NameEvidence {
  field: 'fullName';
  outcome: NameOutcome;
  /** 0..1, how strongly the two spellings support the same person. */
  score: number;
  /** Edit-distance similarity of the folded forms, 0..1. */
  similarity: number;
}

/** Scores of the name outcomes; configurable with the other matching thresholds. */
export interface NameScores {
  missingDiacritics: number;
  orderSwapped: number;
  orderSwappedMissingDiacritics: number;
  diacriticsDiffer: number;
  /** Similar names score `similarity × similarFactor`. */
  similarFactor: number;
  /** Folded similarity from which a name counts as SIMILAR. */
  similarFrom: number;
}

export const defaultNameScores: NameScores = {
  missingDiacritics: 0.92,
  orderSwapped: 0.9,
  orderSwappedMissingDiacritics: 0.85,
  diacriticsDiffer: 0.7,
  similarFactor: 0.75,
  similarFrom: 0.8,
};

/** The registry's name parts (HoVaTen: Ho, ChuDem, Ten) as one full name, family name first. */
export function fullNameOf(parts: { ho?: string; chuDem?: string; ten?: string }): string {
  return [parts.ho, parts.chuDem, parts.ten].filter((p): p is string => !!p && p.trim() !== '').join(' ');
}

/** Compares the name on the dossier with the registry's. */
export function compareNames(claimed: string, registry: string, scores: NameScores = defaultNameScores): NameEvidence {
  const a = nameTokens(claimed);
  const b = nameTokens(registry);
  const foldedA = a.map(foldSyllable);
  const foldedB = b.map(foldSyllable);
  const similarity = stringSimilarity(foldedA.join(' '), foldedB.join(' '));
  const evidence = (outcome: NameOutcome, score: number): NameEvidence => ({
    field: 'fullName',
    outcome,
    score,
    similarity,
  });
  if (a.length === 0 || b.length === 0) return evidence(NameOutcome.Different, 0);
  if (claimed === registry) return evidence(NameOutcome.Exact, 1);
  const keysA = a.map(syllableKey);
  const keysB = b.map(syllableKey);
  if (sameSequence(keysA, keysB)) return evidence(NameOutcome.Equivalent, 1);
  const oneSideBare = !hasDiacritics(claimed) || !hasDiacritics(registry);
  if (sameSequence(foldedA, foldedB)) {
    return oneSideBare
      ? evidence(NameOutcome.MissingDiacritics, scores.missingDiacritics)
      : evidence(NameOutcome.DiacriticsDiffer, scores.diacriticsDiffer);
  }
  if (isWesternOrder(keysA, keysB)) return evidence(NameOutcome.OrderSwapped, scores.orderSwapped);
  if (oneSideBare && isWesternOrder(foldedA, foldedB)) {
    return evidence(NameOutcome.OrderSwapped, scores.orderSwappedMissingDiacritics);
  }
  if (similarity >= scores.similarFrom) return evidence(NameOutcome.Similar, similarity * scores.similarFactor);
  return evidence(NameOutcome.Different, similarity * 0.5);
}

function sameSequence(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `a` is `b` with its first word moved to the end, its last word moved to the front, or reversed. */
function isWesternOrder(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length || a.length < 2) return false;
  return (
    sameSequence(a, [...b.slice(1), b[0]!]) ||
    sameSequence(a, [b.at(-1)!, ...b.slice(0, -1)]) ||
    sameSequence(a, [...b].reverse())
  );
}

/** 1 − Levenshtein distance / longer length. */
export function stringSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return 1 - previous[b.length]! / longer;
}
