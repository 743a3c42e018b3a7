/**
 * The pane's state: the item (re-read about once a second while the pane is visible, since
 * Office.js has no subject-change event for appointments, and on time/recurrence events), the
 * user's rules (organisation defaults until the endpoint answers) and the sync status.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Catalog, type CodeDef, DEFAULT_CATALOG, type Lang, type ProfileGroup } from '../core/catalog';
import { renderMessage } from '../core/messages';
import { type CalendarSettings, type ContactProfile, DEFAULT_PROFILE, DEFAULT_SETTINGS } from '../core/settings';
import { removeCode, writeCode } from '../core/subject';
import { DEFAULT_WORKDAY, type WorkdayConfig } from '../core/time';
import { type CatalogCode, EndpointClient, EndpointError, type Me } from './api/client';
import type { AppointmentPort, ItemSnapshot } from './port';
import { bookingOf, computePreview, type PreviewContext, type PreviewModel } from './preview';

export type Connection = 'connecting' | 'connected' | 'notConnected' | 'notLinked';
export type SyncStatus =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'synced' }
  | { kind: 'stale' }
  | { kind: 'error'; detail: string };

export function catalogFrom(codes: CatalogCode[]): Catalog {
  return new Catalog(codes.map((c): CodeDef => ({ ...c, group: c.group as ProfileGroup, enabled: true })));
}

/** The snapshot as PUT /api/v1/me/bookings/{id} takes it (SPEC 8.1; instants as ISO strings). */
export function bookingJson(snap: ItemSnapshot, restId: string) {
  const b = bookingOf(snap, restId);
  return { ...b, start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString(), lastModified: new Date().toISOString(), recurrence: snap.recurrence };
}

/** The preview's context and the organisation's working day (GET /catalog), whose zone is `timeZone`. */
export type PaneContext = PreviewContext & { workday: WorkdayConfig };

export interface Pane {
  item: ItemSnapshot | null;
  ctx: PaneContext;
  preview: PreviewModel | null;
  connection: Connection;
  me: Me | null;
  sync: SyncStatus;
  /**
   * How many times a booking went to the endpoint (Spara och synka, or the push on opening):
   * what lists the endpoint computes from the stored bookings reload on (Bokningar som inte hänvisar).
   */
  synced: number;
  editError: string | null;
  pickCode(key: string | null): Promise<void>;
  applySubject(subject: string): Promise<void>;
  saveAndSync(): Promise<void>;
  setSettings(s: CalendarSettings): void;
  setProfile(p: ContactProfile): void;
  refresh(): Promise<void>;
}

const DEFAULT_CTX: PaneContext = {
  settings: DEFAULT_SETTINGS,
  profile: DEFAULT_PROFILE,
  shared: false,
  catalog: DEFAULT_CATALOG,
  timeZone: DEFAULT_WORKDAY.timeZone,
  workday: DEFAULT_WORKDAY,
};

export function usePane(port: AppointmentPort, client: EndpointClient | null, lang: Lang, pollMs = 1000): Pane {
  const [item, setItem] = useState<ItemSnapshot | null>(null);
  const [ctx, setCtx] = useState<PaneContext>(DEFAULT_CTX);
  const [connection, setConnection] = useState<Connection>(client ? 'connecting' : 'notConnected');
  const [me, setMe] = useState<Me | null>(null);
  const [sync, setSync] = useState<SyncStatus>({ kind: 'idle' });
  const [synced, setSynced] = useState(0);
  const bump = useCallback(() => setSynced((n) => n + 1), []);
  const [editError, setEditError] = useState<string | null>(null);
  const last = useRef<string>('');

  const refresh = useCallback(async () => {
    try {
      const snap = await port.read();
      const key = JSON.stringify(snap);
      if (key !== last.current) {
        last.current = key;
        setItem(snap);
      }
    } catch {
      // The item went away (pane closing); the next poll tries again.
    }
  }, [port]);

  useEffect(() => {
    void refresh();
    const off = port.onChange(() => void refresh());
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') void refresh();
    }, pollMs);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [port, refresh, pollMs]);

  // The user's rules from the endpoint; until then (or without it) the organisation defaults.
  useEffect(() => {
    if (!client) return;
    let gone = false;
    (async () => {
      try {
        const who = await client.me();
        if (gone) return;
        setMe(who);
        if (!who.linked) {
          setConnection('notLinked');
          return;
        }
        const [settings, profile, cat] = await Promise.all([client.settings(), client.profile(), client.catalog()]);
        if (gone) return;
        setCtx((c) => ({ ...c, settings, profile, shared: who.shared, catalog: catalogFrom(cat.codes), workday: cat.workday, timeZone: cat.workday.timeZone }));
        setConnection('connected');
      } catch (e) {
        if (!gone) setConnection(e instanceof EndpointError && e.kind === 'notLinked' ? 'notLinked' : 'notConnected');
      }
    })();
    return () => {
      gone = true;
    };
  }, [client]);

  const preview = useMemo(() => (item ? computePreview(item, ctx, lang) : null), [item, ctx, lang]);

  const writeSubject = useCallback(
    async (subject: string) => {
      await port.setSubject(subject);
      await refresh();
    },
    [port, refresh],
  );

  const pickCode = useCallback(
    async (key: string | null) => {
      setEditError(null);
      const current = (await port.read()).subject;
      if (key === null) return writeSubject(removeCode(current, ctx.catalog));
      const edit = writeCode(current, key, ctx.catalog);
      if (!edit.ok) {
        setEditError(renderMessage('error.subjectTooLong', { length: edit.length, max: edit.max }, lang));
        return;
      }
      return writeSubject(edit.subject);
    },
    [port, ctx.catalog, lang, writeSubject],
  );

  // Opening a saved booking: when the endpoint's copy is missing or says something else than the
  // item does now (changed while the add-in was not there), push the item once.
  const pushedOnOpen = useRef(false);
  useEffect(() => {
    if (!client || connection !== 'connected' || !item?.itemId || !preview || pushedOnOpen.current) return;
    pushedOnOpen.current = true;
    void (async () => {
      try {
        const restId = await port.restId();
        if (!restId) return;
        const stored = await client.activityStored(restId, item.start, item.end);
        const r = preview.resolution;
        const same = stored
          ? r.diverts && stored.key === r.code?.key && Date.parse(stored.from) === r.from && (stored.to === null ? null : Date.parse(stored.to)) === r.to && stored.forwarding?.mode === r.forwarding?.mode
          : !r.diverts;
        if (same) return;
        setSync({ kind: 'saving' });
        const res = await client.putBooking(restId, bookingJson(item, restId));
        setSync({ kind: res.outcome === 'stale' ? 'stale' : 'synced' });
        bump();
      } catch (e) {
        setSync({ kind: 'error', detail: e instanceof EndpointError ? e.kind : (e as Error).message });
      }
    })();
  }, [client, connection, item, preview, port, bump]);

  const saveAndSync = useCallback(async () => {
    if (!client || connection === 'notConnected') {
      setSync({ kind: 'error', detail: 'notConnected' });
      return;
    }
    setSync({ kind: 'saving' });
    try {
      const restId = await port.saveAndGetRestId();
      const snap = await port.read();
      const res = await client.putBooking(restId, bookingJson(snap, restId));
      setSync({ kind: res.outcome === 'stale' ? 'stale' : 'synced' });
      bump();
    } catch (e) {
      setSync({ kind: 'error', detail: e instanceof EndpointError ? e.kind : (e as Error).message });
    }
  }, [client, connection, port, bump]);

  return {
    item,
    ctx,
    preview,
    connection,
    me,
    sync,
    synced,
    editError,
    pickCode,
    applySubject: writeSubject,
    saveAndSync,
    setSettings: (settings) => setCtx((c) => ({ ...c, settings })),
    setProfile: (profile) => setCtx((c) => ({ ...c, profile })),
    refresh,
  };
}
