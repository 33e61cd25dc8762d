import { appendAudit, verifyAuditChain, type AuditEntry } from './audit-chain';

const drafts = [
  {
    at: '2026-11-23T01:00:00.000Z',
    actor: 'registration-office',
    kind: 'RECEIVED' as const,
    what: 'dossier.submitted',
  },
  { at: '2026-11-23T02:00:00.000Z', actor: 'officer-1', kind: 'CLAIM' as const, what: 'CLAIM', toState: 'ASSIGNED' },
  { at: '2026-11-23T03:00:00.000Z', actor: 'officer-1', kind: 'ACTION' as const, what: 'REJECT', reason: 'Tranh chấp' },
];

describe('hash-chained audit trail', () => {
  const trail = appendAudit([], drafts);

  it('links every entry to the previous one', () => {
    expect(trail.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(trail[0]!.prevHash).toBe('GENESIS');
    expect(trail[1]!.prevHash).toBe(trail[0]!.hash);
    expect(verifyAuditChain(trail)).toEqual([]);
    expect(verifyAuditChain([...trail, ...appendAudit(trail, [drafts[0]!])])).toEqual([]);
  });

  it('detects an edited field', () => {
    const tampered: AuditEntry[] = trail.map((e) => (e.seq === 3 ? { ...e, reason: 'Khác' } : e));
    expect(verifyAuditChain(tampered)).toEqual([{ seq: 3, problem: 'HASH_MISMATCH' }]);
  });

  it('detects a removed entry', () => {
    expect(verifyAuditChain([trail[0]!, trail[2]!])).toEqual([
      { seq: 3, problem: 'SEQUENCE_GAP' },
      { seq: 3, problem: 'BROKEN_LINK' },
    ]);
  });

  it('detects an entry rewritten with a fresh hash (the next link breaks)', () => {
    const forged = appendAudit([trail[0]!], [{ ...drafts[1]!, actor: 'someone-else' }])[0]!;
    expect(verifyAuditChain([trail[0]!, forged, trail[2]!])).toEqual([{ seq: 3, problem: 'BROKEN_LINK' }]);
  });
});
