import { Schema } from 'mongoose';

/** `cases` collection: one document per dossier holds the case, its history and its pending events (`outbox`). */
export const caseSchema = new Schema(
  {
    dossierCode: { type: String, required: true },
    procedureCode: String,
    caseCode: String,
    communeCode: String,
    branchCode: String,
    receivedAt: String,
    arrivedAt: String,
    state: String,
    persons: [Schema.Types.Mixed],
    parcels: [Schema.Types.Mixed],
    history: [Schema.Types.Mixed],
    version: Number,
    intakeSequence: Number,
    outbox: [Schema.Types.Mixed],
  },
  { collection: 'cases', versionKey: false, minimize: false },
);
caseSchema.index({ dossierCode: 1 }, { unique: true, name: 'dossier_code_unique' });
caseSchema.index({ branchCode: 1, state: 1 }, { name: 'branch_state' });
