import type { Bundle, CodeableConcept, MedicationRequest, Resource } from 'fhir/r4.js';
import { medicationConcepts } from './medication-reference.js';

/** One medication order to check, with what it names. */
export interface DraftMedicationOrder {
  /** "MedicationRequest/<id>" (the delete action's resourceId), or the entry fullUrl when there is no usable id,
   *  or "" when there is neither (the card then names no order). */
  ref: string;
  /** True when the order has a server-style id, so a delete action can name it. */
  deletable: boolean;
  concepts: CodeableConcept[];
}

/** Resource types we read as medication orders. MedicationOrder is the DSTU2 name the Sandbox uses on a
 *  DSTU2 server (CLIENT-BEHAVIOUR.md §1.4); its medication[x] fields have the same shape. */
const MEDICATION_ORDER_TYPES = ['MedicationRequest', 'MedicationOrder'];

/** FHIR R4 id datatype: [A-Za-z0-9\-\.]{1,64}. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

/** The medication orders a hook call is about: on order-select only the selected ones (the other drafts
 *  are context), on order-sign every draft. Tolerates the Sandbox's quirks: Bundle without `type`,
 *  `category` as an object, missing medication, `entry` absent. A missing or empty `selections` on
 *  order-select (invalid, but seen) falls back to every draft rather than to silence. Pure. */
export function medicationOrdersInScope(
  hook: 'order-select' | 'order-sign',
  draftOrders: Bundle | undefined,
  selections: readonly string[] | undefined,
  resources: readonly Resource[] = [],
): DraftMedicationOrder[] {
  const orders: DraftMedicationOrder[] = [];
  for (const entry of draftOrders?.entry ?? []) {
    const resource = entry?.resource as Resource | undefined;
    if (!resource || !MEDICATION_ORDER_TYPES.includes(resource.resourceType)) continue;
    // Only an id FHIR allows can be named by a delete action; anything else (a number, spaces, "+") is client junk.
    const id = typeof resource.id === 'string' && FHIR_ID.test(resource.id) ? resource.id : undefined;
    // Without an id or fullUrl the order cannot be selected or deleted, but it is still about to be signed: check it.
    const ref = id ? `${resource.resourceType}/${id}` : (entry.fullUrl ?? '');
    if (hook === 'order-select' && selections && selections.length > 0 && !isSelected(ref, entry.fullUrl, selections)) continue;
    orders.push({
      ref,
      deletable: id !== undefined,
      concepts: medicationConcepts(resource as MedicationRequest, draftOrders, resources),
    });
  }
  return orders;
}

/** LOINC (or other) codes of the ServiceRequests already drafted in this session, so we do not suggest
 *  an echocardiogram or a reflex ISH that is already on the order list. */
export function draftedServiceCodes(draftOrders: Bundle | undefined): string[] {
  const codes: string[] = [];
  for (const entry of draftOrders?.entry ?? []) {
    const resource = entry?.resource as Resource | undefined;
    if (resource?.resourceType !== 'ServiceRequest') continue;
    const code = (resource as { code?: CodeableConcept }).code;
    for (const coding of code?.coding ?? []) if (typeof coding.code === 'string') codes.push(coding.code);
  }
  return codes;
}

function isSelected(ref: string, fullUrl: string | undefined, selections: readonly string[]): boolean {
  return selections.some((s) => s === ref || (fullUrl !== undefined && s === fullUrl) || s.endsWith(`/${ref}`));
}
