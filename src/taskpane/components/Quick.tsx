/**
 * Tab "Snabbval" (guide 5): the user's quick choices (at most 8). One click starts one now and
 * says what is in force ("Lunch startad, åter 13:00"); Redigera snabbval opens the editor.
 */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Catalog, Lang } from '../../core/catalog';
import { DEFAULT_TIME_ZONE } from '../../core/time';
import type { ActivityJson, EndpointClient, QuickChoice } from '../api/client';
import { EndpointError } from '../api/client';
import { fill, type Texts } from '../i18n';
import { activityLabel, lengthSummary, MAX_CHOICES, whenText } from './quick/model';
import { QuickEditor } from './quick/QuickEditor';
import { QUICK_TEXTS } from './quick/texts';

export interface QuickProps {
  client: EndpointClient | null;
  t: Texts;
  lang: Lang;
  catalog: Catalog;
  /** The user's time zone (the pane's context); Slutdatum and "åter 13:00" are in it. */
  zone?: string;
  /** A quick choice was started: the pane refreshes its preview and state. */
  onStarted?: (activity: ActivityJson) => void;
}

export function Quick({ client, t, lang, catalog, zone = DEFAULT_TIME_ZONE, onStarted }: QuickProps) {
  const x = QUICK_TEXTS[lang];
  const [choices, setChoices] = React.useState<QuickChoice[] | null>(null);
  const [editing, setEditing] = React.useState(false);
  const [status, setStatus] = React.useState('');
  const [busy, setBusy] = React.useState<number | null>(null);
  React.useEffect(() => {
    if (!client) return;
    let live = true;
    client.quick().then(
      (q) => live && setChoices(q.slice(0, MAX_CHOICES)),
      (e) => live && setStatus(e instanceof EndpointError && e.kind === 'notLinked' ? t.statusNotLinked : t.notConnectedTab),
    );
    return () => {
      live = false;
    };
  }, [client, t]);
  if (!client) return <Text>{t.notConnectedTab}</Text>;

  const label = (key: string) => activityLabel(key, catalog, lang);
  const start = async (i: number, q: QuickChoice) => {
    setBusy(i);
    setStatus(fill(x.starting, { label: label(q.key) }));
    try {
      const a = await client.activateQuick(i);
      const to = a.to === null ? NaN : Date.parse(a.to);
      setStatus(
        Number.isFinite(to)
          ? fill(x.startedBack, { label: label(a.key), when: whenText(to, zone, Date.now()) })
          : fill(x.startedUntilFurtherNotice, { label: label(a.key) }),
      );
      onStarted?.(a);
    } catch (e) {
      const kind = e instanceof EndpointError ? e.kind : null;
      // 409: its Slutdatum has passed (the endpoint starts nothing).
      const expired = e instanceof EndpointError && e.status === 409 && typeof q.length === 'object' && 'until' in q.length;
      setStatus(kind === 'notLinked' ? t.statusNotLinked : fill(expired ? x.startExpired : x.startFailed, { label: label(q.key) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-label={t.tabQuick}>
      {editing && choices ? (
        <QuickEditor
          client={client}
          choices={choices}
          catalog={catalog}
          lang={lang}
          zone={zone}
          x={x}
          onSaved={(list) => {
            setChoices(list.slice(0, MAX_CHOICES));
            setEditing(false);
            setStatus(x.saved);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {choices === null && !status && <Text as="p">{t.loading}</Text>}
          {choices && choices.length === 0 && <Text as="p">{x.none}</Text>}
          <div className="kk-quick">
            {(choices ?? []).map((q, i) => (
              <Button key={i} disabledFocusable={busy !== null} onClick={() => busy === null && void start(i, q)}>
                {label(q.key)} · {lengthSummary(q.length, x, zone)}
              </Button>
            ))}
          </div>
          {choices && (
            <Button
              appearance="subtle"
              onClick={() => {
                setStatus('');
                setEditing(true);
              }}
            >
              {x.edit}
            </Button>
          )}
          <Text role="status">{status}</Text>
        </>
      )}
    </section>
  );
}
