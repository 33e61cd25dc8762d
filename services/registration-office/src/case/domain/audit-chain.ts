import { canonicalHash } from '@lienthong/kernel';

/**
 * What happened, in the audit trail: a workflow action, a claim change, a view of personal data, a file of the case
 * read (`DOWNLOAD`) or added by the LRO (`UPLOAD`), or a supervisor's move to another branch (`MOVE`).
 */
export type AuditKind =
  'RECEIVED' | 'ACTION' | 'CLAIM' | 'RELEASE' | 'ASSIGN' | 'VIEW' | 'EVENT' | 'ALERT' | 'DOWNLOAD' | 'UPLOAD' | 'MOVE';

/** One entry of a case's append-only audit trail (issue 5 §5): who, when, what, from/to state, reason. */
export interface AuditEntry {
  /** 1 for the first entry of the case, then +1. */
  seq: number;
  at: string;
  /** Worker user id, or the service name for automatic steps. */
  actor: string;
  /** The worker's branch, when a worker acted. */
  branch?: string;
  kind: AuditKind;
  /** The action or event type, e.g. `REQUEST_SUPPLEMENT`, `dossier.supplemented`, `GET /v1/cases/{code}`. */
  what: string;
  fromState?: string;
  toState?: string;
  reason?: string;
  /** Hash of the previous entry (`GENESIS` for the first). */
  prevHash: string;
  /** SHA-256 of the canonical JSON of every other field, prevHash included. */
  hash: string;
}

export type AuditDraft = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

export const GENESIS_HASH = 'GENESIS';

/** Seals `draft` as the entry after `previous` (undefined for the first). */
export function sealAuditEntry(previous: AuditEntry | undefined, draft: AuditDraft): AuditEntry {
  const unsealed = {
    ...stripUndefined(draft),
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unsealed, hash: canonicalHash(unsealed) };
}

/** Appends drafts to a trail, in order. */
export function appendAudit(trail: readonly AuditEntry[], drafts: readonly AuditDraft[]): AuditEntry[] {
  const sealed: AuditEntry[] = [];
  let last = trail.at(-1);
  for (const draft of drafts) {
    last = sealAuditEntry(last, draft);
    sealed.push(last);
  }
  return sealed;
}

/** A broken link found by `verifyAuditChain`. */
export interface AuditBreak {
  seq: number;
  problem: 'HASH_MISMATCH' | 'BROKEN_LINK' | 'SEQUENCE_GAP';
}

/**
 * Recomputes every hash and link of a trail. An edited field changes that entry's hash; a removed or inserted entry
 * breaks the sequence or the next entry's link. Returns the problems, empty when the trail is intact.
 */
export function verifyAuditChain(trail: readonly AuditEntry[]): AuditBreak[] {
  const problems: AuditBreak[] = [];
  let previous: AuditEntry | undefined;
  for (const entry of trail) {
    const { hash, ...unsealed } = entry;
    if (entry.seq !== (previous?.seq ?? 0) + 1) problems.push({ seq: entry.seq, problem: 'SEQUENCE_GAP' });
    if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) problems.push({ seq: entry.seq, problem: 'BROKEN_LINK' });
    if (canonicalHash(unsealed) !== hash) problems.push({ seq: entry.seq, problem: 'HASH_MISMATCH' });
    previous = entry;
  }
  return problems;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
