/**
 * Builds a CDS Hooks 2.0 request exactly as an EHR does (CDS Hooks "Calling a CDS Service"): a fresh
 * hookInstance, fhirServer, the hook's context, an optional fhirAuthorization, and by default no prefetch so the
 * service's own FHIR fallback runs. Pure: shared by the browser page and the CLI.
 */
import { draftMedicationRequest, type DraftOrderChoice } from './draft-orders.js';

export type HookName = 'patient-view' | 'order-select' | 'order-sign';

export interface HookRequestInput {
  hook: HookName;
  hookInstance: string;
  fhirServer: string;
  patientId: string;
  /** The signed-in user as an EHR names them; the preview uses a fixed fictional practitioner. */
  userId?: string;
  /** Access token for fhirServer (sent as fhirAuthorization, never logged by the service). */
  fhirAccessToken?: string;
  /** Order hooks only: the draft order. */
  order?: DraftOrderChoice;
  /** Prefetch to send as is (the "send prefetch" toggle); absent = the service fetches. */
  prefetch?: Record<string, unknown>;
  /** Date used as authoredOn of the draft order (YYYY-MM-DD). */
  today: string;
}

export const PREVIEW_USER_ID = 'Practitioner/preview-user';

export function buildHookRequest(input: HookRequestInput): Record<string, unknown> {
  const context: Record<string, unknown> = { userId: input.userId ?? PREVIEW_USER_ID, patientId: input.patientId };
  if (input.hook !== 'patient-view') {
    if (!input.order) throw new Error(`${input.hook} needs a draft order`);
    const draft = draftMedicationRequest(input.order, input.patientId, input.today);
    context.draftOrders = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] };
    if (input.hook === 'order-select') context.selections = [`MedicationRequest/${String(draft.id)}`];
  }
  const request: Record<string, unknown> = {
    hookInstance: input.hookInstance,
    hook: input.hook,
    fhirServer: input.fhirServer.replace(/\/+$/, ''),
    context,
  };
  if (input.fhirAccessToken) {
    request.fhirAuthorization = {
      access_token: input.fhirAccessToken,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'patient/Patient.read patient/Observation.read patient/Condition.read patient/MedicationRequest.read',
      subject: 'her2-cds-preview',
      patient: input.patientId,
    };
  }
  if (input.prefetch) request.prefetch = input.prefetch;
  return request;
}

/** Fills a discovery prefetch template ({{context.patientId}} and {{context.userId}} only, as the service does). */
export function fillTemplate(template: string, patientId: string, userId = PREVIEW_USER_ID): string {
  return template
    .replace(/\{\{\s*context\.patientId\s*\}\}/g, encodeURIComponent(patientId))
    .replace(/\{\{\s*context\.userId\s*\}\}/g, userId);
}
