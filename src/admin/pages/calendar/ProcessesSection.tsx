/**
 * Kalendersynk's processes (issue 18): the endpoint processes alive on the database, each with its
 * host and pid, last heartbeat and how many Outlook and Google calendars it reads; the one that
 * answered is marked. One process (SQLite, or one PostgreSQL endpoint) is still listed: it reads all.
 */
import { Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { fill, formatCount, formatInstant } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { CalendarStatus } from '../../types';
import { useStyles } from '../../ui/styles';
import { CALENDAR_TEXTS } from './texts';

export type CalendarProcess = CalendarStatus['processes'][number];

export function ProcessesSection({ processes, thisProcess, lang }: { processes: CalendarProcess[]; thisProcess: string; lang: Lang }) {
  const x = CALENDAR_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const titleId = React.useId();
  const n = (v: number) => formatCount(v, lang);
  return (
    <section aria-labelledby={titleId} className={s.panel} data-testid="calendar-processes">
      <h3 id={titleId}>{x.processesTitle}</h3>
      <Text as="p">{x.processesHelp}</Text>
      {processes.length > 0 && (
        <ul className={s.plain}>
          {processes.map((p) => (
            <li key={p.name} data-testid="process-row">
              <Text weight="semibold">{p.name === thisProcess ? fill(x.processAnswered, { name: p.name }) : p.name}</Text>
              <Text as="p" className={s.plain}>
                {[
                  fill(x.processHost, { host: p.host, pid: p.pid }),
                  fill(x.processHeartbeat, { at: formatInstant(p.heartbeatAt, t) }),
                  fill(x.processGraph, { n: n(p.graphUsers) }),
                  fill(x.processGoogle, { n: n(p.googleUsers) }),
                ].join(' · ')}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
