import { randomBytes } from 'node:crypto';
import type { Card } from '../cards/types.js';
import type { StorageConfig } from '../config/index.js';
import { logger } from '../log.js';
import type { FeedbackStore, IssuedCard } from '../storage/feedback-store.js';
import { IssuedQueue } from '../storage/issued-queue.js';
import { patientPseudonym } from '../storage/pseudonym.js';
import { cardKindOf, suggestionKindOf } from './card-kind.js';
import { biomarkerDataHash } from './data-hash.js';
import { applySuppressions, decide, POLICY, type SuppressionPolicy } from './policy.js';

/** One hook call's cards, before they are sent. */
export interface IssueInput {
  serviceId: string;
  fhirServer?: string;
  patientId: string;
  /** The biomarker Observations the cards were drawn from (their hash decides whether suppressions still hold). */
  biomarkers: readonly unknown[];
  cards: Card[];
}

/** One validated feedback item (protocol/feedback-schema.ts). */
export interface FeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: Array<{ id: string }>;
  overrideReason?: { reason?: { system?: string; code?: string }; userComment?: string };
  outcomeTimestamp: string;
}

/** Feedback for a card this deployment never issued (or issued by another service). Nothing was stored. */
export class UnknownCardError extends Error {
  /** Positions in the feedback array (the uuids are client text and are not echoed). */
  constructor(readonly indexes: number[]) {
    super('feedback for a card that was not issued');
    this.name = 'UnknownCardError';
  }
}

export interface FeedbackOptions {
  patientHashKey: string;
  suppressionDays: number;
  storeComments: boolean;
  commentMax: number;
  policy?: SuppressionPolicy;
  now?: () => Date;
}

/** Issued cards, suppression and feedback over one FeedbackStore. Patients appear only as a keyed hash. */
export class FeedbackService {
  private readonly policy: SuppressionPolicy;
  private readonly now: () => Date;
  /** With the embedded database, issued cards are written behind the hook call in batches (storage/issued-queue.ts). */
  private readonly issued: IssuedQueue;

  constructor(
    readonly store: FeedbackStore,
    private readonly opts: FeedbackOptions,
  ) {
    this.policy = opts.policy ?? POLICY;
    this.now = opts.now ?? (() => new Date());
    this.issued = new IssuedQueue({
      write: (cards) => store.recordIssued(cards),
      onLoss: (lost, err) =>
        logger.error('issued cards not recorded: their feedback will be refused as unknown', {
          component: 'feedback',
          count: lost,
          errorClass: err instanceof Error ? err.name : typeof err,
        }),
    });
  }

  /** Stores every card issued so far: call before reading issued cards (feedback, reports) and before closing. */
  flushIssued(): Promise<void> {
    return this.issued.flush();
  }

  /** Leaves out what this patient's feedback suppressed, then queues the cards that will be sent for recording
   *  (so that their feedback finds them). Throws on a database fault: the caller sends the cards unfiltered. */
  async issue(input: IssueInput): Promise<{ cards: Card[]; suppressed: number; removedSuggestions: number }> {
    const patientHash = patientPseudonym(this.opts.patientHashKey, input.fhirServer, input.patientId);
    const dataHash = biomarkerDataHash(input.biomarkers);
    const active = await this.store.activeSuppressions(patientHash, this.now());
    const result = applySuppressions(
      input.cards,
      active.map((s) => ({ target: s.cardKind, dataHash: s.dataHash })),
      dataHash,
      this.policy,
    );
    const records = result.cards.map(
      (card): IssuedCard => ({
        uuid: card.uuid,
        serviceId: input.serviceId,
        cardKind: cardKindOf(card),
        patientHash,
        dataHash,
        suggestions: (card.suggestions ?? [])
          .filter((s): s is typeof s & { uuid: string } => typeof s.uuid === 'string')
          .map((s) => ({ uuid: s.uuid, kind: suggestionKindOf(s) })),
      }),
    );
    // Embedded: written behind, in batches (this process alone reads them back, after a flush). PostgreSQL: written
    // now, because feedback may reach another instance before this one's batch would be written.
    if (this.store.exclusive) this.issued.add(records);
    else await this.store.recordIssued(records);
    return { cards: result.cards, suppressed: result.suppressedCards.length, removedSuggestions: result.removedSuggestions.length };
  }

  /** Records a feedback body. Every card must have been issued by `serviceId`, else nothing at all is stored
   *  (UnknownCardError). Idempotent: the same item twice is stored once; suppressions are upserts. */
  async receive(serviceId: string, items: readonly FeedbackItem[]): Promise<{ stored: number; suppressions: number }> {
    await this.issued.flush();
    const cards = await Promise.all(items.map((item) => this.store.findIssued(item.card)));
    const unknown = items.map((_, n) => n).filter((n) => cards[n]?.serviceId !== serviceId);
    if (unknown.length > 0) throw new UnknownCardError(unknown);
    let stored = 0;
    let suppressions = 0;
    for (const [n, item] of items.entries()) {
      const card = cards[n]!;
      const acceptedIds = new Set((item.acceptedSuggestions ?? []).map((s) => s.id));
      const acceptedKinds = card.suggestions.filter((s) => acceptedIds.has(s.uuid)).map((s) => s.kind);
      const reason = item.overrideReason?.reason;
      const comment = this.opts.storeComments ? item.overrideReason?.userComment?.slice(0, this.opts.commentMax) : undefined;
      const isNew = await this.store.recordFeedback(
        {
          cardUuid: card.uuid,
          outcome: item.outcome,
          ...(reason ? { reason: { ...(reason.system ? { system: reason.system } : {}), ...(reason.code ? { code: reason.code } : {}) } } : {}),
          acceptedSuggestions: [...acceptedIds],
          ...(comment ? { userComment: comment } : {}),
          outcomeAt: new Date(item.outcomeTimestamp),
        },
        acceptedKinds,
      );
      if (isNew) stored++;
      const facts = { outcome: item.outcome, ...(reason ? { reason } : {}), acceptedKinds };
      for (const d of decide(facts, card, { now: this.now(), suppressionDays: this.opts.suppressionDays }, this.policy)) {
        await this.store.suppress(card.patientHash, { cardKind: d.target, dataHash: d.dataHash, until: d.until, cause: d.cause });
        suppressions++;
      }
    }
    return { stored, suppressions };
  }
}

/** The patient pseudonym secret: PATIENT_HASH_KEY; in development without it, one generated once and kept in the
 *  database (so every instance on it and every restart agree), with a warning. Production never gets here without
 *  PATIENT_HASH_KEY (loadConfig refuses to start). */
export async function patientHashKey(cfg: StorageConfig, store: FeedbackStore): Promise<string> {
  if (cfg.patientHashKey) return cfg.patientHashKey;
  if (cfg.production) throw new Error('PATIENT_HASH_KEY is required when NODE_ENV=production');
  logger.warn('PATIENT_HASH_KEY not set: using a development key kept in the database. Set it in production.', {
    component: 'feedback',
    setting: 'PATIENT_HASH_KEY',
  });
  return store.devSecret('patient-hash-key', () => randomBytes(32).toString('base64url'));
}
