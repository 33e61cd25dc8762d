import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '@lienthong/kernel';
import { ServiceNames, type EventEnvelope } from '@lienthong/messaging';
import { CaseState, type Case } from '../../domain/case';
import { AttachmentStep, attachmentsOf, withAttachments, type FileReference } from '../../domain/case-attachments';
import { applyAction, SystemAction, type Actor } from '../../domain/case-workflow';
import { CaseStore } from '../case-store';

const system: Actor = { userId: ServiceNames.RegistrationOffice, roles: [] };

/**
 * Applies what the commune reports after the submission: a supplement handed in (the clock resumes, the case goes
 * back to review) or a withdrawal (the case ends). Each event is applied once, in order: the case records the
 * highest intake sequence applied, and an older or repeated event changes nothing.
 */
@Injectable()
export class ApplyDossierEventHandler {
  private readonly logger = new Logger(ApplyDossierEventHandler.name);

  constructor(private readonly store: CaseStore) {}

  async execute(
    event: EventEnvelope,
    action: typeof SystemAction.SupplementReceived | typeof SystemAction.Withdraw,
    reason?: string,
    supplement?: { supplementRequestNumber: number; files: readonly FileReference[] },
  ): Promise<void> {
    try {
      await this.store.change(
        event.subject,
        undefined,
        (kase, now) => {
          if (event.sequence <= kase.intakeSequence) return undefined;
          // Files handed in with a supplement join the case's attachments even when the step itself is skipped:
          // what the commune accepted is never dropped.
          const attach = (next: Case): Case =>
            supplement?.files.length
              ? {
                  ...next,
                  attachments: withAttachments(
                    attachmentsOf(kase),
                    supplement.files,
                    {
                      addedWith: AttachmentStep.Supplement,
                      supplementRequestNumber: supplement.supplementRequestNumber,
                    },
                    now.toISOString(),
                    (kind) => this.store.documentKindLabel(kind),
                  ),
                }
              : next;
          const skip = (why: string) => {
            this.logger.warn(`${event.type} for ${kase.dossierCode} ignored: ${why}`);
            return {
              kase: attach({ ...kase, intakeSequence: event.sequence }),
              events: [],
              audit: [
                { at: now.toISOString(), actor: system.userId, kind: 'EVENT' as const, what: event.type, reason: why },
              ],
            };
          };
          if (action === SystemAction.SupplementReceived && kase.state !== CaseState.SupplementRequested) {
            return skip(`the case is ${kase.state}, not waiting for a supplement`);
          }
          if (action === SystemAction.Withdraw && !kase.open) return skip(`the case is already closed (${kase.state})`);
          const outcome = applyAction(
            kase,
            { action, ...(reason ? { reason } : {}) },
            system,
            now,
            this.store.calendarFor(kase),
          );
          outcome.kase = attach({ ...outcome.kase, intakeSequence: event.sequence });
          outcome.audit = outcome.audit.map((a) => ({
            ...a,
            kind: 'EVENT' as const,
            what: `${event.type} → ${action}`,
          }));
          return outcome;
        },
        { correlationId: event.correlationId, causationId: event.id },
      );
    } catch (error) {
      // The case is created from dossier.submitted on the same partition, before: a missing case is a dossier this
      // LRO does not handle.
      if (error instanceof NotFoundError) {
        this.logger.warn(`${event.type} for unknown case ${event.subject} ignored`);
        return;
      }
      throw error;
    }
  }
}
