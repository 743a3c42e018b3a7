/**
 * The switch connector contract (SPEC 11, STYLE 3): "extension X should now be in state S,
 * version V". Level-triggered: re-sending a state is harmless and only the newest matters.
 * The scheduler's delivery outbox calls `apply`.
 */
import {
  callerHears,
  type EffectiveState,
  formatInstant,
  type Lang,
  switchAbsence,
} from '../../core';
import type { Static, TObject, TProperties } from 'typebox';
import type { ConfigFail } from '../config-url';
import type { Store } from '../store/types';

/** What the switch is told for one extension: SPEC 11's state, or null for no diversion. */
export interface SwitchState {
  /** Catalog code key, or "forward". */
  code: string;
  mex: number | null;
  label: string;
  forwarding: 'spoken' | 'none' | 'number';
  number: string | null;
  /** Information only: the extension is not closed. */
  soft: boolean;
  since: string;
  returnAt: string | null;
  /** MX-ONE style absence information: the MEX digit plus HHMM (same local day) or MMDD. */
  reasonCode: number | null;
  returnTime?: string;
  returnDate?: string;
  language: Lang;
  /** The spoken message, when the extension is closed with talad hänvisning. */
  spoken: string | null;
  /** Message text, only when the user's settings allow it (SPEC 10). */
  text: string | null;
}

export interface Delivery {
  extension: string;
  /** Only grows per extension; the idempotency key is `<extension>:<version>`. */
  version: number;
  state: SwitchState | null;
  /** When this version was computed, ISO 8601 UTC. */
  sentAt: string;
}

export type DeliveryResult =
  | { ok: true; status?: number }
  /** permanent: this version will never be accepted (logged, shown to admins, not retried). */
  | { ok: false; permanent: boolean; status?: number; error: string; retryAfterMs?: number };

export interface SwitchConnector {
  readonly name: string;
  /** The longest one apply() may take; the scheduler's delivery claims outlast it. */
  readonly timeoutMs?: number;
  apply(delivery: Delivery): Promise<DeliveryResult>;
  /**
   * Optional batches (issue 16, docs/integration.md "Batches"): the most deliveries one
   * applyBatch call takes (absent or 1: the outbox uses apply only).
   */
  readonly batchSize?: number;
  /**
   * Many deliveries at once, at most one per extension: one result per delivery, in the same
   * order. Each result counts for its item alone (a failed item is retried alone, with its own
   * backoff). Throwing, or answering another number of results, fails every item (retryable).
   */
  applyBatch?(deliveries: Delivery[]): Promise<DeliveryResult[]>;
  /**
   * Optional read-back (issue 15, docs/integration.md "Read-back and reconciliation"): what the
   * switch holds now, as extension → the version of the state it holds, only for entries the
   * connector recognises as its own (an entry someone else put there is left out, so it is never
   * touched). An extension that is missing holds no state of ours. Throws when the switch cannot
   * be read; the scheduler's reconciliation (scheduler/reconcile.ts) re-sends what differs.
   */
  readBack?(): Promise<Map<string, number>>;
  /** Optional: `listener` is called when the switch answers again after failing (reconciliation runs then). */
  onReconnect?(listener: () => void): void;
  close?(): Promise<void>;
}

/** What a connector may use besides its own settings. */
export interface ConnectorDeps {
  store: Store;
  clock: () => number;
}

/**
 * One switch, as the registry (index.ts) knows it: its environment variables (TypeBox, merged into
 * config.ts's one schema), the check that turns them into its part of Config.connector (`fail`
 * builds the error naming the variable), and the factory that makes the connector from it.
 */
export interface ConnectorDefinition<Name extends string, Env extends TProperties, Settings extends { name: Name }> {
  env: Env;
  settings(env: Static<TObject<Env>>, fail: ConfigFail): Settings;
  create(settings: Settings, deps: ConnectorDeps): SwitchConnector;
}

/** A definition with its types inferred (`defineConnector({ env, settings, create })`). */
export function defineConnector<Name extends string, Env extends TProperties, Settings extends { name: Name }>(
  d: ConnectorDefinition<Name, Env, Settings>,
): ConnectorDefinition<Name, Env, Settings> {
  return d;
}

/** The SPEC 11 state for an effective state applied at `at` (the return format depends on it). */
export function switchState(s: EffectiveState | null, at: number, zone: string, language: Lang): SwitchState | null {
  if (!s) return null;
  const abs = switchAbsence(s, at, zone);
  return {
    code: s.key,
    mex: s.mex,
    label: s.label[language],
    forwarding: s.forwarding.mode,
    number: s.forwarding.number,
    soft: s.forwarding.mode === 'none',
    since: formatInstant(s.since),
    returnAt: s.returnAt === null ? null : formatInstant(s.returnAt),
    reasonCode: abs.reasonCode,
    ...(abs.returnTime !== undefined ? { returnTime: abs.returnTime } : {}),
    ...(abs.returnDate !== undefined ? { returnDate: abs.returnDate } : {}),
    language,
    spoken: callerHears(s, language, at, zone),
    // Operator-only text never goes to the switch's public information.
    text: s.operatorOnly ? null : s.text,
  };
}
