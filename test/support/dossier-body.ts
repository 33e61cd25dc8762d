import { devToken } from '@lienthong/testing';

/**
 * The Authorization header of the intake system the tests act as: a development token for commune 22657, the
 * receiving unit of `dossierBody` (dossier-intake answers 401 without a token and 404 outside its communes).
 */
export function intakeAuth(communes: readonly string[] = ['22657']): { authorization: string } {
  return { authorization: `Bearer ${devToken({ client: 'test-intake', communes: [...communes] })}` };
}

/** The Authorization header of another intake system for the same commune, which must see none of the first's data. */
export function otherIntakeAuth(communes: readonly string[] = ['22657']): { authorization: string } {
  return { authorization: `Bearer ${devToken({ client: 'other-intake', communes: [...communes] })}` };
}

/**
 * A transfer dossier as an intake system submits it (intake-api.md), received a minute ago. `reference` makes it
 * distinct; `extra` adds or overrides fields.
 */
export function dossierBody(
  system: string,
  reference: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' };
  return {
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt: new Date(Date.now() - 60_000).toISOString(),
    externalReference: { system, id: reference },
    applicant: an,
    parties: [
      { ...an, role: 'TRANSFEROR' },
      {
        role: 'TRANSFEREE',
        fullName: 'Lê Hoàng Minh',
        personalIdNumber: '079095007890',
        dateOfBirth: '1995-11-20',
        gender: 'MALE',
      },
    ],
    parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
    ...extra,
  };
}
