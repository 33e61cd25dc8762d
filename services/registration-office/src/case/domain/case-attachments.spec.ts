import { validateEvent, type CloudEventEnvelopeV1 } from '@lienthong/event-contracts';
import { ValidationError } from '@lienthong/kernel';
import { createEvent } from '@lienthong/messaging';
import { caseReadyFor } from '../../../test/case-fixtures';
import { calendar, referenceData } from '../../../test/case-builder';
import {
  AttachmentStep,
  attachmentFileName,
  certificateScanOf,
  labelOf,
  supplementReferences,
  withAttachments,
  type CaseAttachment,
} from './case-attachments';
import { applyAction } from './case-workflow';

const code = '000.00.56.H42-261123-0001';
const labels = (kind: string) => referenceData.documentKindLabel(kind);
const sha = (c: string) => c.repeat(64);
const pdf = (kind: string, hash: string) => ({ kind, mediaType: 'application/pdf', sizeBytes: 1000, sha256: hash });
const officer = { userId: 'officer-1', roles: ['officer' as const], branch: 'KH-DIENKHANH' };

describe('case attachments', () => {
  it('labels catalogue kinds in Vietnamese and English, the LRO result kinds too, and shows an unknown code as is', () => {
    expect(labelOf('TRANSFER_CONTRACT', labels)).toEqual({
      vi: expect.stringContaining('Hợp đồng'),
      en: expect.stringContaining('Contract'),
    });
    expect(labelOf('CERTIFICATE_SCAN', labels).vi).toContain('Giấy chứng nhận');
    expect(labelOf('NOT_A_KIND', labels)).toEqual({ vi: 'NOT_A_KIND', en: 'NOT_A_KIND' });
  });

  it('adds references once per hash, keeping the step that first brought the file', () => {
    const submitted = withAttachments(
      [],
      [pdf('APPLICATION_FORM', sha('a')), pdf('TRANSFER_CONTRACT', sha('b'))],
      { addedWith: AttachmentStep.Submission },
      '2026-11-23T01:00:00.000Z',
      labels,
    );
    const supplemented = withAttachments(
      submitted,
      [pdf('TRANSFER_CONTRACT', sha('b')), pdf('POWER_OF_ATTORNEY', sha('c'))],
      { addedWith: AttachmentStep.Supplement, supplementRequestNumber: 1 },
      '2026-11-25T01:00:00.000Z',
      labels,
    );
    expect(supplemented.map((a) => [a.sha256[0], a.addedWith, a.supplementRequestNumber])).toEqual([
      ['a', 'SUBMISSION', undefined],
      ['b', 'SUBMISSION', undefined],
      ['c', 'SUPPLEMENT', 1],
    ]);
    expect(supplemented[2]).toMatchObject({ kind: 'POWER_OF_ATTORNEY', label: { vi: 'Văn bản ủy quyền' } });
    expect(submitted).toHaveLength(2); // the input is not changed
  });

  it('takes from dossier.supplemented only the documents that came with a file', () => {
    expect(
      supplementReferences([
        { componentCode: 'TRANSFER_CONTRACT', sha256: sha('d'), mediaType: 'application/pdf', sizeBytes: 10 },
        { componentCode: 'POWER_OF_ATTORNEY' },
      ]),
    ).toEqual([{ kind: 'TRANSFER_CONTRACT', sha256: sha('d'), mediaType: 'application/pdf', sizeBytes: 10 }]);
  });

  it('offers a download under a generated name, never a file name of the citizen', () => {
    expect(
      attachmentFileName({
        kind: 'TRANSFER_CONTRACT',
        sha256: 'ab12cd34' + '0'.repeat(56),
        mediaType: 'application/pdf',
      }),
    ).toBe('transfer-contract-ab12cd34.pdf');
    expect(attachmentFileName({ kind: 'CERTIFICATE_SCAN', sha256: sha('e'), mediaType: 'image/jpeg' })).toBe(
      'certificate-scan-eeeeeeee.jpg',
    );
    expect(attachmentFileName({ kind: 'X', sha256: sha('f'), mediaType: 'application/zip' })).toMatch(/\.bin$/);
  });

  describe('ISSUE_CERTIFICATE naming the scan', () => {
    const scan: CaseAttachment = {
      ...pdf('CERTIFICATE_SCAN', sha('9')),
      label: labelOf('CERTIFICATE_SCAN', labels),
      addedWith: AttachmentStep.LroResult,
      addedAt: '2026-11-30T01:00:00.000Z',
      addedBy: 'officer-1',
    };
    const submittedFile: CaseAttachment = {
      ...pdf('APPLICATION_FORM', sha('a')),
      label: labelOf('APPLICATION_FORM', labels),
      addedWith: AttachmentStep.Submission,
      addedAt: '2026-11-23T01:00:00.000Z',
    };
    const ready = () => ({ ...caseReadyFor('ISSUE_CERTIFICATE', code), attachments: [submittedFile, scan] });
    const issue = (details: Record<string, unknown>) =>
      applyAction(
        ready(),
        { action: 'ISSUE_CERTIFICATE', details: { certificateSerial: 'DA 01234567', ...details } },
        officer,
        new Date('2026-12-01T02:00:00.000Z'),
        calendar,
      );

    it('carries the scan by reference in case.certificate-issued, within the contract', () => {
      const outcome = issue({ certificateScanSha256: sha('9') });
      const [draft] = outcome.events;
      expect(draft!.data.certificateScan).toEqual({
        kind: 'CERTIFICATE_SCAN',
        mediaType: 'application/pdf',
        sizeBytes: 1000,
        sha256: sha('9'),
      });
      const event = createEvent({
        type: draft!.type,
        source: '/registration-office',
        subject: code,
        sequence: 9,
        correlationId: '019ab0f2-6a40-7c3e-9d21-5b8e4f0a1c01',
        causationId: '019ab0f2-6a40-7c3e-9d21-5b8e4f0a1c01',
        data: draft!.data,
      });
      expect(validateEvent(JSON.parse(JSON.stringify(event)) as CloudEventEnvelopeV1)).toEqual([]);
    });

    it('issues without a scan as before', () => {
      expect(issue({}).events[0]!.data).not.toHaveProperty('certificateScan');
    });

    it.each([
      ['a hash the case does not have', sha('7')],
      ['a file the citizen handed in, not an LRO result', sha('a')],
      ['something that is not a hash', 42],
    ])('refuses %s', (_what, given) => {
      expect(() => issue({ certificateScanSha256: given })).toThrow(ValidationError);
      let refusal: unknown;
      try {
        certificateScanOf(ready(), { certificateScanSha256: given });
      } catch (error) {
        refusal = error;
      }
      expect((refusal as ValidationError).errors).toEqual([
        expect.objectContaining({ field: 'details.certificateScanSha256', code: 'UNKNOWN_ATTACHMENT' }),
      ]);
    });
  });
});
