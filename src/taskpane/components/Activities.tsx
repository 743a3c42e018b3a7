/** Tab "Aktiviteter": current and upcoming activities, each deletable (a calendar one is dismissed). */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Catalog, Lang } from '../../core/catalog';
import type { ActivityJson, EndpointClient } from '../api/client';
import type { Texts } from '../i18n';

export function Activities({ client, t, lang, catalog, zone }: { client: EndpointClient | null; t: Texts; lang: Lang; catalog: Catalog; zone: string }) {
  const [list, setList] = React.useState<ActivityJson[] | null>(null);
  const [note, setNote] = React.useState<string>('');
  const load = React.useCallback(async () => {
    if (!client) return;
    try {
      setList((await client.activities()).activities.filter((a) => !a.dismissed));
    } catch {
      setList(null);
      setNote(t.notConnectedTab);
    }
  }, [client, t]);
  React.useEffect(() => void load(), [load]);
  if (!client) return <Text>{t.notConnectedTab}</Text>;
  const fmt = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' });
  const label = (key: string) => (key === 'forward' ? (lang === 'sv' ? 'Vidarekoppla' : 'Forward') : (catalog.find(key)?.label[lang] ?? key));
  return (
    <section aria-label={t.tabActivities}>
      <Text as="p" size={200}>
        {t.dismissNote}
      </Text>
      {list === null ? (
        <Text>{note || t.loading}</Text>
      ) : list.length === 0 ? (
        <Text>{t.noActivities}</Text>
      ) : (
        <ul className="kk-list" data-testid="activities">
          {list.map((a) => (
            <li key={a.id}>
              <span>
                {label(a.key)} · {fmt.format(Date.parse(a.from))} – {a.to ? fmt.format(Date.parse(a.to)) : t.untilFurtherNotice}
              </span>{' '}
              <Button
                size="small"
                aria-label={`${t.delete}: ${label(a.key)} ${fmt.format(Date.parse(a.from))}`}
                onClick={async () => {
                  await client.deleteActivity(a.id).catch(() => undefined);
                  setNote(t.deleted);
                  await load();
                }}
              >
                {t.delete}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Text role="status">{list !== null ? note : ''}</Text>
    </section>
  );
}
