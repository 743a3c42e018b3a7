/**
 * Tab "Aktiviteter" (guide 3.3): Ny aktivitet, Ny återkommande aktivitet and the list of current
 * and upcoming activities, each deletable (a calendar one is dismissed). The forms, the list and
 * their words are in ./activities.
 */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Catalog, Lang } from '../../core/catalog';
import type { ContactProfile } from '../../core/settings';
import type { WorkdayConfig } from '../../core/time';
import type { ActivityJson, EndpointClient } from '../api/client';
import type { Texts } from '../i18n';
import { ActivityForm } from './activities/ActivityForm';
import { ActivityList } from './activities/ActivityList';
import { RecurringForm } from './activities/RecurringForm';
import { ACTIVITY_TEXTS } from './activities/texts';
import { useWorkCalendar } from './time';

export interface ActivitiesProps {
  client: EndpointClient | null;
  t: Texts;
  lang: Lang;
  catalog: Catalog;
  /** The organisation's working day (GET /catalog): its zone is the forms' wall clock. */
  workday: WorkdayConfig;
  /** The user's Kontaktprofiler (pane.ctx.profile): Vidarebefordra till's default per code group. */
  profile?: ContactProfile;
  /** The clock (tests); Från starts at now. */
  now?: () => number;
}

export function Activities({ client, t, lang, catalog, workday, profile, now = Date.now }: ActivitiesProps) {
  const x = ACTIVITY_TEXTS[lang];
  const zone = workday.timeZone;
  const cal = useWorkCalendar(workday);
  const [list, setList] = React.useState<ActivityJson[] | null>(null);
  const [note, setNote] = React.useState<string>('');
  const [form, setForm] = React.useState<'none' | 'single' | 'recurring'>('none');

  const load = React.useCallback(async () => {
    if (!client) return;
    try {
      setList((await client.activities()).activities.filter((a) => !a.dismissed));
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
  const formProps = { client, x, lang, catalog, zone, cal, profile, now, onSaved: () => done(x.saved), onCancel: () => setForm('none') };
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
          list={list}
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
