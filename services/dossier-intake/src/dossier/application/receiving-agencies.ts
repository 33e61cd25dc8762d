/** The receiving communes this deployment serves, with the agency id used in their dossier codes. */
export abstract class ReceivingAgencies {
  abstract agencyFor(communeCode: string): string | undefined;
}
