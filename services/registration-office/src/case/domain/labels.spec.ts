import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CaseState } from './case';
import { labelOf, ROLE_LABELS, STATE_LABELS, VERDICT_LABELS } from './labels';

const submittedSchema = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../../../contracts/events/schemas/dossier-submitted.v1.json'), 'utf8'),
) as { definitions: { party: { properties: { role: { enum: string[] } } } } };

describe('labels', () => {
  it('labels every party role of the dossier.submitted contract, and the applicant', () => {
    const roles = submittedSchema.definitions.party.properties.role.enum;
    for (const role of [...roles, 'APPLICANT']) {
      expect(labelOf(ROLE_LABELS, role)).toEqual({ vi: expect.any(String), en: expect.any(String) });
    }
    expect(ROLE_LABELS.TRANSFEROR).toEqual({ vi: 'Bên chuyển nhượng', en: 'Transferor' });
    expect(ROLE_LABELS.APPLICANT!.vi).toBe('Người nộp hồ sơ');
  });

  it('labels every verdict and every state in both languages', () => {
    expect(Object.keys(VERDICT_LABELS).sort()).toEqual(['MATCHED', 'MISMATCH', 'NEEDS_REVIEW', 'NOT_FOUND']);
    expect(Object.keys(STATE_LABELS).sort()).toEqual(Object.values(CaseState).sort());
    for (const label of [...Object.values(VERDICT_LABELS), ...Object.values(STATE_LABELS)]) {
      expect(label.vi.length).toBeGreaterThan(0);
      expect(label.en.length).toBeGreaterThan(0);
      expect(label.vi).not.toBe(label.en);
    }
  });

  it('answers nothing for a code it does not know, or none', () => {
    expect(labelOf(ROLE_LABELS, 'ASTRONAUT')).toBeUndefined();
    expect(labelOf(ROLE_LABELS, 'toString')).toBeUndefined();
    expect(labelOf(VERDICT_LABELS, undefined)).toBeUndefined();
  });
});
