/**
 * Prefetch template filling (CDS Hooks 2.0 "Prefetch tokens"). Supported tokens:
 *   {{context.X}}            a first-level primitive context field (string, number, boolean)
 *   {{userPractitionerId}}   the id part of context.userId when it is Practitioner/…, and likewise
 *   {{userPractitionerRoleId}}, {{userPatientId}}, {{userRelatedPersonId}}
 * Anything else (nested paths, FHIRPath such as {{today()}}) cannot be filled. A template with one unfillable
 * token cannot be queried at all (as the Sandbox does: it skips the key), so the caller treats the key as
 * "cannot be fetched".
 *
 * Values are URL-encoded (encodeURIComponent), so a context value can never add a path segment or a query
 * parameter; "." and ".." are refused because URL parsing would resolve them as path segments.
 */

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;

const USER_TOKENS: Readonly<Record<string, string>> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

/** The filled relative URL, or undefined when a token cannot be filled from this context. */
export function fillTemplate(template: string, context: Record<string, unknown>): string | undefined {
  let unfillable = false;
  const filled = template.replace(TOKEN, (_match, name: string) => {
    const value = tokenValue(name, context);
    if (value === undefined) unfillable = true;
    return value === undefined ? '' : encodeURIComponent(value);
  });
  return unfillable ? undefined : filled;
}

function tokenValue(name: string, context: Record<string, unknown>): string | undefined {
  if (name.startsWith('context.')) {
    const field = name.slice('context.'.length);
    if (field.includes('.') || !Object.hasOwn(context, field)) return undefined;
    return primitive(context[field]);
  }
  const type = USER_TOKENS[name];
  if (type === undefined) return undefined;
  const userId = context.userId;
  if (typeof userId !== 'string') return undefined;
  const match = /^([A-Za-z]+)\/([^/]+)$/.exec(userId);
  return match && match[1] === type ? usable(match[2] ?? '') : undefined;
}

function primitive(value: unknown): string | undefined {
  if (typeof value === 'string') return usable(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function usable(value: string): string | undefined {
  return value === '' || value === '.' || value === '..' ? undefined : value;
}
