import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { maskPersonalId } from '@lienthong/kernel';
import type {
  Dossier,
  HistoryEntry,
  MatchSummary,
  Parcel,
  Party,
  PausedInterval,
  Person,
  SupplementRequest,
} from '../../domain/dossier';
import { isOverdue } from '../../domain/dossier-lifecycle';

export class SubmitDossierResponse {
  @ApiProperty({ example: '000.00.56.H42-261123-0001' })
  dossierCode!: string;
  @ApiProperty({ example: 'RECEIVED' })
  status!: string;
  @ApiProperty({ example: 2, description: "National portal's TrangThaiHoSo (1–10)" })
  portalStatusCode!: number;
  @ApiProperty({ example: '2026-11-23T08:15:00+07:00' })
  receivedAt!: string;
  @ApiProperty({ example: '2026-12-03T08:15:00+07:00', description: 'Legal due date (ngày hẹn trả)' })
  dueAt!: string;
  @ApiProperty({ example: { amount: 8, unit: 'WORKING_DAY' } })
  timeLimit!: { unit: string; amount?: number; cutoff?: string };
  @ApiProperty({ example: { self: '/v1/dossiers/000.00.56.H42-261123-0001' } })
  links!: { self: string };
}

/** A person as shown to the front desk: the identification number masked, contact details left out. */
export interface MaskedPerson {
  fullName: string;
  personalIdNumber: string;
  dateOfBirth: string;
  gender: string;
  role?: string;
}

function mask(person: Person | Party): MaskedPerson {
  return {
    fullName: person.fullName,
    personalIdNumber: maskPersonalId(person.personalIdNumber),
    dateOfBirth: person.dateOfBirth,
    gender: person.gender,
    ...('role' in person ? { role: person.role } : {}),
  };
}

export class DossierView {
  @ApiProperty()
  dossierCode!: string;
  @ApiProperty()
  procedureCode!: string;
  @ApiPropertyOptional()
  caseCode?: string;
  @ApiProperty()
  receivingUnitCode!: string;
  @ApiProperty()
  channel!: string;
  @ApiProperty()
  receivedAt!: string;
  @ApiProperty({ description: 'Legal due date (ngày hẹn trả), +07:00' })
  dueAt!: string;
  @ApiProperty()
  status!: string;
  @ApiProperty()
  portalStatusCode!: number;
  @ApiProperty()
  externalReference!: { system: string; id: string };
  @ApiProperty()
  applicant!: MaskedPerson;
  @ApiProperty()
  parties!: MaskedPerson[];
  @ApiProperty()
  parcels!: Parcel[];
  @ApiProperty()
  history!: HistoryEntry[];
  @ApiProperty({ description: 'Pauses of the statutory clock, as the LRO reports them' })
  pausedIntervals!: PausedInterval[];
  @ApiPropertyOptional({ description: "The LRO's supplement request waiting for an answer" })
  supplementRequest?: SupplementRequest;
  @ApiPropertyOptional({ description: 'Population matching verdicts (masked identifiers)' })
  match?: MatchSummary;
  @ApiPropertyOptional({ description: 'When the result can be collected (once it is ready)' })
  appointmentAt?: string;
  @ApiProperty({ description: 'Past the due date and still being worked on' })
  overdue!: boolean;
  @ApiProperty({ example: { self: '/v1/dossiers/000.00.56.H42-261123-0001' } })
  links!: { self: string };

  static from(dossier: Dossier, portalStatus: number, now: Date = new Date()): DossierView {
    return {
      dossierCode: dossier.dossierCode,
      procedureCode: dossier.procedureCode,
      caseCode: dossier.caseCode,
      receivingUnitCode: dossier.receivingUnitCode,
      channel: dossier.channel,
      receivedAt: dossier.receivedAt,
      dueAt: dossier.dueAt,
      status: dossier.status,
      portalStatusCode: portalStatus,
      externalReference: dossier.externalReference,
      applicant: mask(dossier.applicant),
      parties: dossier.parties.map(mask),
      parcels: dossier.parcels,
      history: dossier.history,
      pausedIntervals: dossier.pausedIntervals,
      ...(dossier.supplementRequest ? { supplementRequest: dossier.supplementRequest } : {}),
      ...(dossier.match ? { match: dossier.match } : {}),
      ...(dossier.appointmentAt ? { appointmentAt: dossier.appointmentAt } : {}),
      overdue: isOverdue(dossier, now),
      links: { self: `/v1/dossiers/${dossier.dossierCode}` },
    };
  }
}

export class DossierPage {
  @ApiProperty({ type: [DossierView] })
  items!: DossierView[];
  @ApiPropertyOptional({ description: 'Cursor of the next page; absent on the last page' })
  next?: string;
}
