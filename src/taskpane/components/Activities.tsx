/**
 * Tab "Aktiviteter" (guide 3.3): Ny aktivitet, Ny återkommande aktivitet and the list of current
 * and upcoming activities, each deletable (a calendar one is dismissed). The forms, the list and
 * their words are in ./activities.
 */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Catalog, Lang } from '../../core/catalog';
import type { ContactProfile } from '../../core/settings';
import { DAY_MS } from '../../core/time';
import type { ActivityJson, EndpointClient } from '../api/client';
import type { Texts } from '../i18n';
import { ActivityForm } from './activities/ActivityForm';
import { ActivityList } from './activities/ActivityList';
import { RecurringForm } from './activities/RecurringForm';
import { groupRows } from './activities/rhythm';
import { ACTIVITY_TEXTS } from './activities/texts';
import { useWorkCalendar } from './time';

export interface ActivitiesProps {
  client: EndpointClient | null;
  t: Texts;
  lang: Lang;
  catalog: Catalog;
  /** The pane's time zone: the forms' wall clock and the working calendar's. */
  zone: string;
  /** The user's Kontaktprofiler (pane.ctx.profile): Vidarebefordra till's default per code group. */
  profile?: ContactProfile;
  /** The clock (tests); Från starts at now. */
  now?: () => number;
}

/** A window wide enough for two occurrences of every rhythm (Var sjätte vecka), to tell it. */
const RHYTHM_WINDOW_MS = (6 * 7 + 1) * DAY_MS;

export function Activities({ client, t, lang, catalog, zone, profile, now = Date.now }: ActivitiesProps) {
  const x = ACTIVITY_TEXTS[lang];
  const cal = useWorkCalendar(zone);
  const [list, setList] = React.useState<ActivityJson[] | null>(null);
  const [more, setMore] = React.useState<ReadonlyMap<string, readonly ActivityJson[]>>(new Map());
  const [note, setNote] = React.useState<string>('');
  const [form, setForm] = React.useState<'none' | 'single' | 'recurring'>('none');
  const nowRef = React.useRef(now);
  nowRef.current = now;

  const load = React.useCallback(async () => {
    if (!client) return;
    try {
      const shown = (await client.activities()).activities.filter((a) => !a.dismissed);
      setList(shown);
      // A rule with a single occurrence in the list's window: look further ahead for its rhythm.
      const lonely = groupRows(shown).flatMap((r) => (r.kind === 'rule' && r.occurrences.length < 2 ? [r.ruleId] : []));
      if (lonely.length === 0) return setMore(new Map());
      const t0 = nowRef.current();
      const wide = (await client.activities({ from: t0, to: t0 + RHYTHM_WINDOW_MS })).activities;
      setMore(new Map(lonely.map((id) => [id, wide.filter((a) => a.ruleId === id || a.id.startsWith(`rec:${id}:`))])));
    } catch {
      setNote(t.notConnectedTab);
    }
  }, [client, t]);
  React.useEffect(() => void load(), [load]);

  if (!client) return <Text>{t.notConnectedTab}</Text>;
  const done = (message: string) => {
    setForm('none');
    setNote(message);
    void load();
  };
  const formProps = { client, x, lang, catalog, zone, profile, now, onSaved: () => done(x.saved), onCancel: () => setForm('none') };
  return (
    <section aria-label={t.tabActivities}>
      {form === 'none' && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
          <Button onClick={() => setForm('single')}>{x.newActivity}</Button>
          <Button onClick={() => setForm('recurring')}>{x.newRecurring}</Button>
        </div>
      )}
      {form === 'single' && <ActivityForm {...formProps} />}
      {form === 'recurring' && <RecurringForm {...formProps} />}
      <Text as="p" size={200}>
        {t.dismissNote}
      </Text>
      {list === null ? (
        <Text>{note || t.loading}</Text>
      ) : list.length === 0 ? (
        <Text>{t.noActivities}</Text>
      ) : (
        <ActivityList
          client={client}
          x={x}
          lang={lang}
          catalog={catalog}
          zone={zone}
          cal={cal}
          list={list}
          moreOccurrences={more}
          onChanged={(message) => {
            setNote(message);
            void load();
          }}
        />
      )}
      <Text role="status">{list !== null ? note : ''}</Text>
    </section>
  );
}
