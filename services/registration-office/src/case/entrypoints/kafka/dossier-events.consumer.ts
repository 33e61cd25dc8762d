import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import {
  DossierEventType,
  DossierSubmittedType,
  parseDossierSubmittedV1,
  parseEventData,
} from '@lienthong/event-contracts';
import { ReliableConsumer, Topics, type OutboxRelay } from '@lienthong/messaging';
import { OUTBOX_RELAY } from '@lienthong/runtime';
import { ApplyDossierEventHandler } from '../../application/apply-dossier-event/apply-dossier-event.handler';
import { ReceiveCaseHandler } from '../../application/receive-case/receive-case.handler';
import { ReceiveImportedCaseHandler } from '../../application/receive-case/receive-imported-case.handler';
import { RecordMatchHandler } from '../../application/record-match/record-match.handler';
import { supplementReferences } from '../../domain/case-attachments';
import { SystemAction } from '../../domain/case-workflow';

/**
 * Consumes the communes' dossier events: every submitted dossier becomes a case, with no re-entry; supplements
 * resume the clock and withdrawals end the case.
 */
@Controller()
export class DossierEventsConsumer {
  private readonly logger = new Logger(DossierEventsConsumer.name);

  constructor(
    private readonly receive: ReceiveCaseHandler,
    private readonly receiveImported: ReceiveImportedCaseHandler,
    private readonly apply: ApplyDossierEventHandler,
    private readonly verdicts: RecordMatchHandler,
    private readonly consumer: ReliableConsumer,
    @Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay,
  ) {}

  @EventPattern(Topics.DossierEvents)
  async onDossierEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, async (event) => {
      if (event.type === DossierEventType.Supplemented) {
        const data = parseEventData(DossierEventType.Supplemented, event.data);
        return this.apply.execute(event, SystemAction.SupplementReceived, undefined, {
          supplementRequestNumber: data.supplementRequestNumber,
          files: supplementReferences(data.documents),
        });
      }
      if (event.type === DossierEventType.Withdrawn) {
        const data = parseEventData(DossierEventType.Withdrawn, event.data);
        return this.apply.execute(event, SystemAction.Withdraw, data.reason);
      }
      let created;
      // A backlog dossier still open at the desk opens its case in the state of its status (imported-case.ts).
      if (event.type === DossierEventType.Imported)
        created = await this.receiveImported.execute(event, parseEventData(DossierEventType.Imported, event.data));
      else if (event.type === DossierSubmittedType)
        created = await this.receive.execute(event, parseDossierSubmittedV1(event.data));
      else return;
      if (created) {
        // Verdicts that came before the case.
        await this.verdicts.applyParked(created.dossierCode);
        // The case is durable; publishing now only saves the sweeper's delay.
        this.relay.relay(created.dossierCode).catch((e: unknown) => this.logger.warn(`relay deferred: ${String(e)}`));
      }
    });
  }
}
