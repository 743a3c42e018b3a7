/** Tab "Snabbval": the user's quick choices (at most 8); one click starts one now. */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Catalog, Lang } from '../../core/catalog';
import type { EndpointClient, QuickChoice } from '../api/client';
import { fill, type Texts } from '../i18n';

export function lengthText(q: QuickChoice, t: Texts): string {
  if (q.length === 'standard') return t.standardLength;
  if (q.length === 'nextWorkingDay') return t.nextWorkingDay;
  if (q.length === 'untilFurtherNotice') return t.untilFurtherNotice;
  return fill(t.minutes, { n: q.length.minutes });
}

export function Quick({ client, t, lang, catalog }: { client: EndpointClient | null; t: Texts; lang: Lang; catalog: Catalog }) {
  const [choices, setChoices] = React.useState<QuickChoice[] | null>(null);
  const [status, setStatus] = React.useState('');
  React.useEffect(() => {
    if (!client) return;
    client.quick().then(
      (q) => setChoices(q.slice(0, 8)),
      () => setStatus(t.notConnectedTab),
    );
  }, [client, t]);
  if (!client) return <Text>{t.notConnectedTab}</Text>;
  const label = (key: string) => (key === 'forward' ? (lang === 'sv' ? 'Vidarekoppla' : 'Forward') : (catalog.find(key)?.label[lang] ?? key));
  return (
    <section aria-label={t.tabQuick}>
      {choices && choices.length === 0 && <Text as="p">{t.quickNone}</Text>}
      <div className="kk-quick">
        {(choices ?? []).map((q, i) => (
          <Button
            key={i}
            onClick={async () => {
              try {
                await client.activateQuick(i);
                setStatus(fill(t.quickStarted, { label: label(q.key) }));
              } catch (e) {
                setStatus(fill(t.statusError, { detail: (e as Error).message }));
              }
            }}
          >
            {label(q.key)} · {lengthText(q, t)}
          </Button>
        ))}
      </div>
      <Text role="status">{status}</Text>
    </section>
  );
}
