import type { Bundle, CodeableConcept, MedicationRequest, Resource } from 'fhir/r4.js';
import { medicationConcepts } from './medication-reference.js';

/** One medication order to check, with what it names. */
export interface DraftMedicationOrder {
  /** "MedicationRequest/<id>" (the delete action's resourceId), or the entry fullUrl when there is no id. */
  ref: string;
  /** True when the order has a server-style id, so a delete action can name it. */
  deletable: boolean;
  concepts: CodeableConcept[];
}

/** Resource types we read as medication orders. MedicationOrder is the DSTU2 name the Sandbox uses on a
 *  DSTU2 server (CLIENT-BEHAVIOUR.md §1.4); its medication[x] fields have the same shape. */
const MEDICATION_ORDER_TYPES = ['MedicationRequest', 'MedicationOrder'];

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
    const ref = resource.id ? `${resource.resourceType}/${resource.id}` : (entry.fullUrl ?? '');
    if (ref === '') continue;
    if (hook === 'order-select' && selections && selections.length > 0 && !isSelected(ref, entry.fullUrl, selections)) continue;
    orders.push({
      ref,
      deletable: resource.id !== undefined,
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
