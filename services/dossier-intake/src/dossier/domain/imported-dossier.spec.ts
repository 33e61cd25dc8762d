import { DossierStatus, receiveDossier, type Dossier } from './dossier';
import { applyCaseFact } from './dossier-lifecycle';
import { importedDossier, type ImportedPause } from './imported-dossier';

const submission = {
  procedureCode: '1.013831',
  caseCode: 'TRANSFER',
  receivingUnitCode: '22657',
  channel: 'DIRECT' as const,
  receivedAt: '2026-11-02T09:00:00+07:00',
  externalReference: { system: 's', id: '1' },
  applicant: {
    fullName: 'Nguyễn Văn An',
    personalIdNumber: '056080001234',
    dateOfBirth: '1980-03-15',
    gender: 'MALE' as const,
  },
  parties: [],
  parcels: [{ communeCode: '22525', mapSheetNumber: '1', parcelNumber: '2', areaM2: 10, landUseCode: 'ONT' }],
};

function imported(status: DossierStatus, pauses: ImportedPause[] = []): Dossier {
  const { dossier, events } = receiveDossier(
    submission,
    '000.00.56.H42-261102-0001',
    'c',
    new Date(submission.receivedAt),
    {
      dueAt: '2026-11-12T09:00:00+07:00',
      timeLimit: { unit: 'WORKING_DAY', amount: 8 },
      remote: false,
      procedureVersion: '2025-07-01',
    },
  );
  return importedDossier({
    received: dossier,
    submitted: events[0]!.data as never,
    status,
    pauses,
    dueAt: '2026-11-20T09:00:00+07:00',
    identityVerification: false,
    now: new Date('2026-11-23T03:00:00Z'),
  }).dossier;
}

const opened = (portalStatusCode: number) => ({
  type: 'case.received',
  sequence: 1,
  time: '2026-11-23T03:00:05Z',
  data: { branchCode: 'KH-VANNINH', imported: true, portalStatusCode, dueAt: '2026-11-20T09:00:00+07:00' },
});

describe('an imported dossier at the desk when the LRO opens its case', () => {
  it('RECEIVED moves to IN_PROGRESS with a status change marked imported (nobody is notified about it)', () => {
    const t = applyCaseFact(imported(DossierStatus.Received), opened(4))!;
    expect(t.dossier.status).toBe(DossierStatus.InProgress);
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'dossier.status-changed',
        data: expect.objectContaining({ status: 'IN_PROGRESS', previousStatus: 'RECEIVED', imported: true }),
      }),
    ]);
  });

  it('a paused one keeps its status and its open supplement request, and announces nothing', () => {
    const before = imported(DossierStatus.SupplementRequested, [
      { reason: 'SUPPLEMENT', from: '2026-11-10T14:00:00+07:00' },
    ]);
    const t = applyCaseFact(before, opened(5))!;
    expect(t.dossier).toMatchObject({ status: 'SUPPLEMENT_REQUESTED', supplementRequest: { number: 1 } });
    expect(t.events).toEqual([]);
  });

  it('a submitted dossier’s case.received still means IN_PROGRESS, unmarked', () => {
    const { dossier } = receiveDossier(submission, '000.00.56.H42-261102-0002', 'c', new Date(), {
      dueAt: '2026-11-12T09:00:00+07:00',
      timeLimit: { unit: 'WORKING_DAY', amount: 8 },
    });
    const t = applyCaseFact(dossier, { type: 'case.received', sequence: 1, time: '2026-11-02T02:00:05Z', data: {} })!;
    expect(t.dossier.status).toBe('IN_PROGRESS');
    expect(t.events[0]!.data).not.toHaveProperty('imported');
  });
});
