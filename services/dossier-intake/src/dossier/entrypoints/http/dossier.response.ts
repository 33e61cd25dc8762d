import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { maskPersonalId } from '@lienthong/kernel';
import {
  resultFileName,
  type Dossier,
  type DueDateChange,
  type HistoryEntry,
  type MatchSummary,
  type Parcel,
  type Party,
  type PausedInterval,
  type Person,
  type SupplementRequest,
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

/** A document of the dossier as the intake system sees it: its own file name, the reference, and where it came from. */
export class DossierDocumentView {
  @ApiProperty({ example: 'APPLICATION_FORM' })
  kind!: string;
  @ApiProperty({
    example: 'don-dang-ky-bien-dong.pdf',
    description: 'As the intake system gave it; generated (`<kind>-<sha8>.<ext>`) for the LRO results',
  })
  fileName!: string;
  @ApiProperty({ example: 'application/pdf' })
  mediaType!: string;
  @ApiProperty({ example: 182113 })
  sizeBytes!: number;
  @ApiProperty({ example: '9f2b5c0e5a1d4b7f8e3c6a9d2b1f0e4c7a8d5b2e9f1c3a6d8b0e2f4a6c8d0b1e' })
  sha256!: string;
  @ApiProperty({ enum: ['SUBMISSION', 'SUPPLEMENT', 'LRO_RESULT'], description: 'Which step brought the document' })
  addedWith!: 'SUBMISSION' | 'SUPPLEMENT' | 'LRO_RESULT';
  @ApiPropertyOptional({ description: 'The supplement request it answered (SUPPLEMENT)' })
  supplementRequestNumber?: number;
  @ApiPropertyOptional({
    description: 'When the front desk handed it in (SUPPLEMENT) or the LRO issued it (LRO_RESULT)',
  })
  at?: string;
  @ApiPropertyOptional({ description: "The certificate's serial number, for a certificate scan (LRO_RESULT)" })
  certificateSerial?: string;
  @ApiProperty({ example: { content: '/v1/dossiers/000.00.56.H42-261123-0001/documents/9f2b…' } })
  links!: { content: string };

  /** The dossier's documents: submitted, handed in with supplements, sent back by the LRO, in that order. */
  static listOf(dossier: Dossier): DossierDocumentView[] {
    const content = (sha256: string) => ({ content: `/v1/dossiers/${dossier.dossierCode}/documents/${sha256}` });
    return [
      ...(dossier.documents ?? []).map(({ kind, fileName, mediaType, sizeBytes, sha256 }) => ({
        kind,
        fileName,
        mediaType,
        sizeBytes,
        sha256,
        addedWith: 'SUBMISSION' as const,
        links: content(sha256),
      })),
      ...(dossier.supplementDocuments ?? []).map((d) => ({
        kind: d.kind,
        fileName: d.fileName,
        mediaType: d.mediaType,
        sizeBytes: d.sizeBytes,
        sha256: d.sha256,
        addedWith: 'SUPPLEMENT' as const,
        supplementRequestNumber: d.supplementRequestNumber,
        at: d.receivedAt,
        links: content(d.sha256),
      })),
      ...(dossier.resultDocuments ?? []).map((d) => ({
        kind: d.kind,
        fileName: resultFileName(d),
        mediaType: d.mediaType,
        sizeBytes: d.sizeBytes,
        sha256: d.sha256,
        addedWith: 'LRO_RESULT' as const,
        at: d.issuedAt,
        ...(d.certificateSerial ? { certificateSerial: d.certificateSerial } : {}),
        links: content(d.sha256),
      })),
    ];
  }
}

/** One move of the due date by an apology letter (form 04), as the LRO stated it. */
export class DueDateChangeView implements DueDateChange {
  @ApiProperty({ example: '2026-12-03T08:15:00+07:00', description: 'The due date the letter replaced' })
  previousDueAt!: string;
  @ApiProperty({ example: '2026-12-08T17:00:00+07:00', description: 'The new due date agreed in the letter' })
  dueAt!: string;
  @ApiProperty({ example: '2026-12-02T03:10:00.000Z', description: 'When the LRO issued the letter' })
  at!: string;
  @ApiProperty({ example: '000.00.56.H42-261123-0001/XL-1' })
  letterNumber!: string;
  @ApiProperty({ example: 'Chờ kết quả đo đạc bổ sung', description: 'The reason the letter states' })
  reason!: string;
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
  @ApiProperty({
    type: [DossierDocumentView],
    description: 'The documents: submitted, handed in with supplements, and the LRO results (certificate scan)',
  })
  documents!: DossierDocumentView[];
  @ApiProperty({ description: 'Pauses of the statutory clock, as the LRO reports them' })
  pausedIntervals!: PausedInterval[];
  @ApiPropertyOptional({
    type: () => [DueDateChangeView],
    description:
      'Moves of the due date by apology letters (form 04), oldest first, as the LRO issued them; absent when none',
  })
  dueDateHistory?: DueDateChange[];
  @ApiPropertyOptional({ description: "True when the land's commune is remote and the remote time limit applied" })
  remote?: boolean;
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
      documents: DossierDocumentView.listOf(dossier),
      pausedIntervals: dossier.pausedIntervals,
      ...(dossier.dueDateHistory?.length ? { dueDateHistory: dossier.dueDateHistory } : {}),
      ...(dossier.remote !== undefined ? { remote: dossier.remote } : {}),
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
