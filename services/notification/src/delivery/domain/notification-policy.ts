import { DossierStatus } from './status-change';

/** How a citizen is reached about one status; the intake system hears about every status by webhook. */
export interface CitizenRule {
  /**
   * The phone message: Zalo ZNS where an approved ZNS template exists for the status (ZNS sends only templates
   * Zalo has approved), SMS otherwise; none when the status needs no action and gives no date.
   */
  phone: 'SMS' | 'ZALO' | null;
  /** E-mail where the applicant gave an address. */
  email: boolean;
}

const none: CitizenRule = { phone: null, email: false };

/**
 * Whom to tell about each front-desk status. The citizen hears about what asks something of them (supplement,
 * financial obligation), what ends the dossier (rejection, stop, result ready) and the receipt with its appointment
 * date; "in progress" is the intake system's business only, as are SUBMITTED (not yet accepted) and the return of
 * the result (the citizen was there to collect it; an e-mail records it).
 */
const citizenRules: Record<DossierStatus, CitizenRule> = {
  [DossierStatus.Submitted]: none,
  [DossierStatus.Received]: { phone: 'ZALO', email: true },
  [DossierStatus.RejectedAtIntake]: { phone: 'SMS', email: true },
  [DossierStatus.InProgress]: none,
  [DossierStatus.SupplementRequested]: { phone: 'SMS', email: true },
  [DossierStatus.AwaitingFinancialObligation]: { phone: 'SMS', email: true },
  [DossierStatus.WithdrawalRequested]: { phone: null, email: true },
  [DossierStatus.Stopped]: { phone: 'SMS', email: true },
  [DossierStatus.Processed]: { phone: 'ZALO', email: true },
  [DossierStatus.ResultReturned]: { phone: null, email: true },
};

/**
 * Procedures whose rules differ. Security-interest (mortgage) registrations are settled the same or the next
 * working day (Decree 99/2022/NĐ-CP Art. 47), and the applicant is usually the lender's staff: a receipt message
 * would arrive together with the result, so only the result and the outcomes that need action are sent.
 */
const procedureRules: Readonly<Record<string, Partial<Record<DossierStatus, CitizenRule>>>> = {
  '1.011441': { [DossierStatus.Received]: none },
  '1.011442': { [DossierStatus.Received]: none },
  '1.011443': { [DossierStatus.Received]: none },
};

/** The citizen channels for `status` of a dossier of `procedureCode`. */
export function citizenRuleFor(procedureCode: string, status: DossierStatus): CitizenRule {
  return procedureRules[procedureCode]?.[status] ?? citizenRules[status];
}

/**
 * The citizen channels for an apology letter that moved the due date, whatever the status: the procedure texts
 * have the letter sent by e-mail or SMS to online filers (domain.md §1.7). SMS, not Zalo: no ZNS template for the
 * letter is registered with Zalo.
 */
export const APOLOGY_RULE: CitizenRule = { phone: 'SMS', email: true };
