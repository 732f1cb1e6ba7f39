import { createHash } from 'node:crypto';

/**
 * The hash of the biomarker data a call's cards rest on: every biomarker Observation's reference with its
 * meta.versionId, meta.lastUpdated, status and values. A new result, or an amended/corrected one, changes it, and
 * with it every suppression made on the old data ends (issue 9: "unless the underlying biomarker data change").
 * All biomarker results count, not only a card's basis, so that the pending ISH arriving lifts the suppression of
 * the reflex ISH suggestion. Only a hash is stored, never the data.
 */
export function biomarkerDataHash(resources: readonly unknown[]): string {
  const lines = resources
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && (r as { resourceType?: unknown }).resourceType === 'Observation')
    .map(fingerprint)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('base64url');
}

const VALUE_KEYS = ['status', 'interpretation', 'component', 'hasMember', 'specimen', 'effectiveDateTime', 'issued'];

function fingerprint(obs: Record<string, unknown>): string {
  const meta = (obs.meta ?? {}) as { versionId?: unknown; lastUpdated?: unknown };
  const picked: Record<string, unknown> = {
    ref: `Observation/${String(obs.id ?? '')}`,
    versionId: meta.versionId ?? null,
    lastUpdated: meta.lastUpdated ?? null,
  };
  for (const key of Object.keys(obs).sort()) {
    if (key.startsWith('value') || VALUE_KEYS.includes(key)) picked[key] = obs[key];
  }
  return JSON.stringify(picked);
}
