/** The status line: connected / not connected / synced / error, in plain words (aria-live). */
import { Text } from '@fluentui/react-components';
import * as React from 'react';
import { fill, type Texts } from '../i18n';
import type { Pane } from '../usePane';

export function statusText(pane: Pick<Pane, 'connection' | 'sync'>, t: Texts): string {
  const { sync, connection } = pane;
  if (sync.kind === 'saving') return t.statusSaving;
  if (sync.kind === 'synced') return t.statusSynced;
  if (sync.kind === 'stale') return t.statusStale;
  if (sync.kind === 'error') {
    if (sync.detail === 'notConnected' || sync.detail === 'notSignedIn') return t.statusNotConnected;
    if (sync.detail === 'notLinked') return t.statusNotLinked;
    return fill(t.statusError, { detail: sync.detail });
  }
  if (connection === 'connecting') return t.statusConnecting;
  if (connection === 'notLinked') return t.statusNotLinked;
  if (connection === 'notConnected') return t.statusNotConnected;
  return t.statusConnected;
}

export function SyncStatusLine({ pane, t }: { pane: Pick<Pane, 'connection' | 'sync'>; t: Texts }) {
  return (
    <Text as="p" role="status" aria-live="polite" data-testid="sync-status" data-state={pane.sync.kind === 'idle' ? pane.connection : pane.sync.kind}>
      {statusText(pane, t)}
    </Text>
  );
}
