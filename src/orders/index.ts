import type { Bundle, Observation } from 'fhir/r4.js';
import type { Interpretation } from '../clinical/types.js';
import type { Card, DataProblem } from '../cards/types.js';

export interface OrderCheckInput {
  hook: 'order-select' | 'order-sign';
  interpretation: Interpretation;
  problems: DataProblem[];
  patientId: string;
  draftOrders: Bundle;
  /** order-select only: "Type/id" of the orders being selected. */
  selections?: string[];
  /** LVEF / echocardiography Observations on file. */
  lvef: Observation[];
  newId: () => string;
  /** Evaluation time (for the LVEF window). */
  now: Date;
  options: { quietWhenConsistent: boolean; lvefWindowDays: number };
}

/** Draft orders + interpretation → order cards. Pure. (Stub: lands with issue 8.) */
export function checkOrders(input: OrderCheckInput): Card[] {
  void input;
  return [];
}
