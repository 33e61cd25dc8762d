import { Schema } from 'mongoose';

/**
 * `dossiers` collection. One document per dossier holds its state, history and pending events (`outbox`), so every
 * change is one atomic single-document write (FerretDB has no multi-document transactions).
 */
export const dossierSchema = new Schema(
  {
    dossierCode: { type: String, required: true },
    clientId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    requestHash: { type: String, required: true },
    externalReference: { system: String, id: String },
    procedureCode: String,
    caseCode: String,
    receivingUnitCode: String,
    channel: String,
    receivedAt: String,
    applicant: Schema.Types.Mixed,
    parties: [Schema.Types.Mixed],
    parcels: [Schema.Types.Mixed],
    summary: String,
    status: String,
    history: [Schema.Types.Mixed],
    version: Number,
    caseSequence: Number,
    outbox: [Schema.Types.Mixed],
  },
  { collection: 'dossiers', versionKey: false, minimize: false },
);
dossierSchema.index({ dossierCode: 1 }, { unique: true, name: 'dossier_code_unique' });
dossierSchema.index({ clientId: 1, idempotencyKey: 1 }, { unique: true, name: 'client_idempotency_key_unique' });
dossierSchema.index(
  { clientId: 1, 'externalReference.system': 1, 'externalReference.id': 1 },
  { unique: true, name: 'client_external_reference_unique' },
);
