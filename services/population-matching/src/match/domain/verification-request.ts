/**
 * A dossier's request to verify its persons against the National Population Database. Created when the dossier is
 * submitted; the registry lookups that complete it are the next stage of this service. Pure TypeScript.
 */
export const VerificationState = {
  /** Persons recorded, waiting for registry lookups. */
  AwaitingRegistry: 'AWAITING_REGISTRY',
} as const;
export type VerificationState = (typeof VerificationState)[keyof typeof VerificationState];

export interface PersonToVerify {
  role: string;
  fullName: string;
  personalIdNumber: string;
  dateOfBirth: string;
  gender: string;
}

export interface VerificationRequest {
  dossierCode: string;
  state: VerificationState;
  persons: PersonToVerify[];
  requestedAt: string;
  /** Highest `sequence` of the dossier stream applied. */
  intakeSequence: number;
}

/** Persons named on a submitted dossier: the applicant and every party, each number once per role. */
export function personsOf(data: {
  applicant: Omit<PersonToVerify, 'role'>;
  parties: PersonToVerify[];
}): PersonToVerify[] {
  const all = [{ ...data.applicant, role: 'APPLICANT' }, ...data.parties];
  const seen = new Set<string>();
  return all
    .map(({ role, fullName, personalIdNumber, dateOfBirth, gender }) => ({
      role,
      fullName,
      personalIdNumber,
      dateOfBirth,
      gender,
    }))
    .filter((p) => {
      const key = `${p.role}|${p.personalIdNumber}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
