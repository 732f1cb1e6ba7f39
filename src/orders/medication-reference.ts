import type { Bundle, CodeableConcept, Medication, MedicationRequest, Resource } from 'fhir/r4.js';

/** The medication concepts of one draft order: medicationCodeableConcept, or the Medication that
 *  medicationReference points to — contained ("#id"), in the draftOrders Bundle (by "Medication/id" or
 *  fullUrl), or among the prefetched resources. A Medication gives its code and every ingredient's
 *  itemCodeableConcept (a compounded or fixed-dose product may only name its ingredients there).
 *  An unresolvable reference gives [] (the order is then unrecognised, and gets no card). Pure. */
export function medicationConcepts(
  request: MedicationRequest,
  draftOrders: Bundle | undefined,
  resources: readonly Resource[] = [],
): CodeableConcept[] {
  const concepts: CodeableConcept[] = [];
  if (request.medicationCodeableConcept) concepts.push(request.medicationCodeableConcept);
  const medication = resolveMedication(request, draftOrders, resources);
  if (medication) {
    if (medication.code) concepts.push(medication.code);
    for (const ingredient of medication.ingredient ?? []) {
      if (ingredient.itemCodeableConcept) concepts.push(ingredient.itemCodeableConcept);
    }
  }
  // A medicationReference may carry a display even when the target is nowhere to be found.
  const display = request.medicationReference?.display;
  if (typeof display === 'string' && display.trim() !== '') concepts.push({ text: display });
  return concepts;
}

/** Finds the Medication a MedicationRequest refers to, or undefined. */
export function resolveMedication(
  request: MedicationRequest,
  draftOrders: Bundle | undefined,
  resources: readonly Resource[] = [],
): Medication | undefined {
  const reference = request.medicationReference?.reference?.trim();
  if (!reference) return undefined;
  if (reference.startsWith('#')) {
    const id = reference.slice(1);
    return (request.contained ?? []).find((r): r is Medication => isMedication(r) && r.id === id);
  }
  for (const entry of draftOrders?.entry ?? []) {
    const resource = entry.resource;
    if (isMedication(resource) && (entry.fullUrl === reference || matchesRelative(resource, reference))) return resource;
  }
  return resources.find((r): r is Medication => isMedication(r) && matchesRelative(r, reference));
}

function isMedication(resource: unknown): resource is Medication {
  return typeof resource === 'object' && resource !== null && (resource as Resource).resourceType === 'Medication';
}

/** "Medication/abc", or an absolute URL ending in "/Medication/abc" (servers give both). */
function matchesRelative(medication: Medication, reference: string): boolean {
  if (!medication.id) return false;
  const relative = `Medication/${medication.id}`;
  return reference === relative || reference.endsWith(`/${relative}`);
}
