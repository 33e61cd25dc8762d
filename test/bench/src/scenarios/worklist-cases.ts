import path from 'node:path';
import { Clock } from '@lienthong/kernel';
import { createEvent } from '@lienthong/messaging';
import { loadReferenceData } from '@lienthong/statutory-clock';
import type { DossierSubmittedV1 } from '@lienthong/event-contracts';
// The worklist benchmark builds its cases with registration-office's own code (the receipt handler, claims and
// workflow), so they have exactly the stored shape; it imports them by path (services export no library).
/* eslint-disable @nx/enforce-module-boundaries */
import { ReceiveCaseHandler } from '../../../../services/registration-office/src/case/application/receive-case/receive-case.handler';
import { appendAudit } from '../../../../services/registration-office/src/case/domain/audit-chain';
import type { Case } from '../../../../services/registration-office/src/case/domain/case';
import { claimCase } from '../../../../services/registration-office/src/case/domain/case-claims';
import { CaseRepository } from '../../../../services/registration-office/src/case/domain/case.ports';
import {
  applyAction,
  type Actor,
  type Outcome,
} from '../../../../services/registration-office/src/case/domain/case-workflow';
import { ReferenceDataRules } from '../../../../services/registration-office/src/case/infrastructure/reference-data/reference-data-rules';
/* eslint-enable @nx/enforce-module-boundaries */
import { dossierBody } from '../../../support/dossier-body';

export type { Case };

// Open cases for the worklist benchmark (WL), built as registration-office builds them: `dossier.submitted` through
// ReceiveCaseHandler at its arrival time, then claims and workflow actions through the domain functions, each
// outcome folded in as CaseStore.write does (version, audit chain). The pending events are left out, as if the
// relay had published them: the seeded cases must never reach Kafka.

/** The branch the benchmark's cases belong to: no real worker has it, so no real worklist shows them. */
export const BenchBranch = 'BENCH-WL';
/** The communes of the benchmark's branch (those of QNG-DUCPHO in the development configuration). */
export const BenchCommunes = ['21439', '21451', '21457', '21478'] as const;
/** Procedures of the seeded cases (national code and case), a mix of time limits and optional steps. */
export const BenchProcedures = [
  ['1.013831', 'TRANSFER'],
  ['1.013831', 'INHERITANCE'],
  ['1.013833', 'USER_INFO_CHANGE'],
  ['1.012784', 'STANDARD'],
  ['1.012783', 'STANDARD'],
  ['1.013978', 'REGISTRATION_WITH_CERTIFICATE'],
  ['1.013992', 'STANDARD'],
  ['1.011441', 'STANDARD'],
] as const;
/** Share of each open state among the seeded cases, in per mille. */
const stateMix = [
  ['RECEIVED', 300],
  ['ASSIGNED', 150],
  ['IN_REVIEW', 350],
  ['FIELD_CHECK', 100],
  ['SUPPLEMENT_REQUESTED', 100],
] as const;
export type SeededState = (typeof stateMix)[number][0];

/** The stored document: the case with `_id`, its audit length and an empty outbox (ADR 0004's shape). */
export type CaseDocument = Case & { _id: string; auditLength: number; outbox: unknown[] };

/** Only `createIfAbsent` is used: it hands the created case back instead of writing it. */
class CapturingRepository extends CaseRepository {
  created: Case | undefined;
  override createIfAbsent(kase: Case): Promise<boolean> {
    this.created = kase;
    return Promise.resolve(true);
  }
  override findByCode(): Promise<Case | null> {
    return Promise.reject(new Error('not used'));
  }
  override save(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  override appendAudit(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  override worklist(): Promise<Case[]> {
    return Promise.reject(new Error('not used'));
  }
  override dueBefore(): Promise<Case[]> {
    return Promise.reject(new Error('not used'));
  }
  override parkVerdicts(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
  override parkedVerdicts(): Promise<never[]> {
    return Promise.reject(new Error('not used'));
  }
  override openCases(): Promise<never[]> {
    return Promise.reject(new Error('not used'));
  }
}

class SettableClock extends Clock {
  at = new Date();
  override now(): Date {
    return this.at;
  }
}

/** A deterministic draw in [0, 1) for case `i` and `salt`. */
function draw(i: number, salt: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * Builds open cases of the benchmark branch received over the last `days` before `now`. The clock arithmetic makes a
 * case cost a few milliseconds to build, so the benchmark builds a few thousand and writes each under several codes.
 */
export class BenchCaseFactory {
  private readonly reference: ReferenceDataRules;
  private readonly clock = new SettableClock();
  private readonly repository = new CapturingRepository();
  private readonly receive: ReceiveCaseHandler;
  private readonly perDay = new Map<string, number>();

  constructor(
    root: string,
    private readonly now: Date,
    private readonly days = 40,
    /** Agency part of the seeded dossier codes: one no intake system has. */
    private readonly agency = '000.00.99.B99',
  ) {
    this.reference = new ReferenceDataRules(loadReferenceData(path.resolve(root)));
    this.receive = new ReceiveCaseHandler(
      this.repository,
      {
        branchOfCommune: () => ({ code: BenchBranch, name: BenchBranch, provinceCode: '56' }),
        branch: () => undefined,
      },
      this.clock,
      this.reference,
    );
  }

  /**
   * Case number `i` as registration-office would hold it: its receipt, state and the steps that led there, all before
   * `now`. Its dossier code is a placeholder until `document` gives it one.
   */
  async build(i: number): Promise<Case> {
    const receivedAt = new Date(this.now.getTime() - 3 * 3_600_000 - Math.floor(draw(i, 1) * this.days * 86_400_000));
    const commune = BenchCommunes[Math.floor(draw(i, 2) * BenchCommunes.length)]!;
    const [procedureCode, caseCode] = BenchProcedures[Math.floor(draw(i, 3) * BenchProcedures.length)]!;
    let roll = Math.floor(draw(i, 4) * 1000);
    let state: SeededState = 'RECEIVED';
    for (const [s, share] of stateMix) {
      if (roll < share) {
        state = s;
        break;
      }
      roll -= share;
    }
    const code = `${this.agency}-000000-${String(i).padStart(6, '0')}`;
    const body = dossierBody('bench-worklist', code, {
      procedureCode,
      caseCode,
      receivingUnitCode: commune,
      receivedAt: receivedAt.toISOString(),
      parcels: [
        {
          communeCode: commune,
          mapSheetNumber: String(1 + Math.floor(draw(i, 5) * 60)),
          parcelNumber: String(1 + Math.floor(draw(i, 6) * 900)),
          areaM2: 120.5,
          landUseCode: 'ONT',
        },
      ],
    });
    const { externalReference: _reference, ...data } = body;
    const event = createEvent({
      type: 'dossier.submitted',
      source: '/dossier-intake',
      subject: code,
      sequence: 1,
      data: { dossierCode: code, ...data },
    });
    let at = receivedAt.getTime() + 5 * 60_000;
    this.clock.at = new Date(at);
    await this.receive.execute(event, event.data as unknown as DossierSubmittedV1);
    let kase = this.repository.created!;
    const calendar = this.reference.calendarFor(commune);
    const officer = `officer-${1 + Math.floor(draw(i, 7) * 40)}`;
    const actor: Actor = { userId: officer, branch: BenchBranch, roles: ['officer'] };
    const steps: ((k: Case, t: Date) => Outcome)[] = [];
    if (state !== 'RECEIVED') {
      steps.push((k, t) => claimCase(k, officer, actor, t, 120, calendar, { force: false, kind: 'CLAIM' }));
    }
    if (state === 'IN_REVIEW' || state === 'FIELD_CHECK' || state === 'SUPPLEMENT_REQUESTED') {
      steps.push((k, t) => applyAction(k, { action: 'START_REVIEW' }, actor, t, calendar));
    }
    if (state === 'FIELD_CHECK') {
      steps.push((k, t) => applyAction(k, { action: 'START_FIELD_CHECK' }, actor, t, calendar));
    }
    if (state === 'SUPPLEMENT_REQUESTED') {
      steps.push((k, t) =>
        applyAction(
          k,
          {
            action: 'REQUEST_SUPPLEMENT',
            reason: 'Thiếu bản sao giấy chứng nhận',
            details: { missingDocuments: [{ name: 'Bản sao giấy chứng nhận quyền sử dụng đất' }] },
          },
          actor,
          t,
          calendar,
        ),
      );
    }
    for (const step of steps) {
      at += 30 * 60_000;
      kase = fold(kase, step(kase, new Date(at)));
    }
    return kase;
  }

  /**
   * The stored document of `kase` under the next dossier code of its receipt day (`{agency}-{yyMMdd}-{NNNN}`): the
   * case with `_id`, its audit length and an empty outbox. One built case may be written under several codes.
   */
  document(kase: Case): CaseDocument {
    const ymd = new Date(Date.parse(kase.receivedAt) + 7 * 3_600_000).toISOString().slice(2, 10).replace(/-/g, '');
    const n = (this.perDay.get(ymd) ?? 0) + 1;
    this.perDay.set(ymd, n);
    if (n > 9_999) throw new Error(`more than 9,999 seeded cases received on ${ymd}: spread them over more days`);
    const code = `${this.agency}-${ymd}-${String(n).padStart(4, '0')}`;
    return { _id: code, ...kase, dossierCode: code, auditLength: kase.audit.length, outbox: [] };
  }
}

/** An outcome applied as CaseStore.write applies it (the version moves by its events, the audit chain grows). */
function fold(kase: Case, outcome: Outcome): Case {
  return {
    ...outcome.kase,
    version: kase.version + Math.max(1, outcome.events.length),
    audit: [...kase.audit, ...appendAudit(kase.audit, outcome.audit)],
  };
}
