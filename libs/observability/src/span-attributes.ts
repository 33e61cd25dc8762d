import { trace } from '@opentelemetry/api';

/** Attribute names that let operations follow one dossier across services (architecture §8). */
export const DossierAttributes = {
  Code: 'dossier.code',
  ProcedureCode: 'procedure.code',
  CommuneCode: 'commune.code',
} as const;

/** Adds the dossier's identifying attributes to the active span, if any. Never pass personal data here. */
export function tagActiveSpan(attributes: {
  dossierCode?: string;
  procedureCode?: string;
  communeCode?: string;
}): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  if (attributes.dossierCode) span.setAttribute(DossierAttributes.Code, attributes.dossierCode);
  if (attributes.procedureCode) span.setAttribute(DossierAttributes.ProcedureCode, attributes.procedureCode);
  if (attributes.communeCode) span.setAttribute(DossierAttributes.CommuneCode, attributes.communeCode);
}

/** The active trace id, for logs and error bodies, or undefined outside a trace. */
export function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && context.traceId !== '00000000000000000000000000000000' ? context.traceId : undefined;
}
