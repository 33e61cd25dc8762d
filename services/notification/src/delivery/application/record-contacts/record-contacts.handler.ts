import { Injectable } from '@nestjs/common';
import { DossierEventType, parseEventData } from '@lienthong/event-contracts';
import type { EventEnvelope } from '@lienthong/messaging';
import { DirectoryRepository } from '../../domain/delivery.ports';

/**
 * Keeps, from `dossier.submitted` (or `dossier.imported`), only what notification needs to reach the applicant: name (for initials), phone
 * and e-mail; no identification numbers, parties or parcels.
 */
@Injectable()
export class RecordContactsHandler {
  constructor(private readonly directory: DirectoryRepository) {}

  async execute(event: EventEnvelope): Promise<void> {
    const data =
      event.type === DossierEventType.Imported
        ? parseEventData(DossierEventType.Imported, event.data)
        : parseEventData(DossierEventType.Submitted, event.data);
    const { fullName, phone, email } = data.applicant;
    await this.directory.saveContacts({
      dossierCode: data.dossierCode,
      procedureCode: data.procedureCode,
      ...(data.clientId ? { clientId: data.clientId } : {}),
      applicant: { fullName, ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
    });
  }
}
