/**
 * Kalendersynk: GET /admin/calendar (all linked users; shown 50 at a time with a filter), per
 * user the last sync, lag, last error and subscription, and Synka om (POST …/{oid}/resync); the
 * users read from Google Calendar (GoogleSection), when it is configured; each user's row names
 * the process reading that calendar, and ProcessesSection lists the endpoint processes. Below them
 * the directory section (Hämta från katalogen).
 */
import { Button, Field, SearchBox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { AdminError, type AdminClient } from '../../api';
import { errorText, fill, formatCount, formatInstant, formatLag } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { CalendarUser } from '../../types';
import { Pager } from '../../ui/Pager';
import { useStyles } from '../../ui/styles';
import { useLoad } from '../../ui/useLoad';
import { DirectorySection } from './DirectorySection';
import { GoogleSection } from './GoogleSection';
import { ProcessesSection } from './ProcessesSection';
import { CALENDAR_TEXTS } from './texts';

export const PAGE_SIZE = 50;

export interface CalendarPageProps {
  client: AdminClient;
  lang: Lang;
}

const who = (u: CalendarUser) => u.extension ?? u.oid;

export function CalendarPage({ client, lang }: CalendarPageProps) {
  const x = CALENDAR_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const cal = useLoad(() => client.calendar(), [client]);
  const [filter, setFilter] = React.useState('');
  const [offset, setOffset] = React.useState(0);
  const [message, setMessage] = React.useState('');
  const users = React.useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = cal.data?.users ?? [];
    return f ? all.filter((u) => (u.extension ?? '').startsWith(f) || u.oid.toLowerCase().includes(f)) : all;
  }, [cal.data, filter]);
  const page = users.slice(offset, offset + PAGE_SIZE);

  const resync = async (u: { oid: string }, name: string) => {
    try {
      await client.resync(u.oid);
      setMessage(fill(x.resyncing, { who: name }));
      cal.reload();
    } catch (e) {
      setMessage(e instanceof AdminError && e.status === 409 ? x.resyncOff : errorText(e, t));
    }
  };

  let status = message;
  if (!status) {
    if (cal.error) status = errorText(cal.error, t);
    else if (!cal.data) status = t.loading;
    else if (cal.data.enabled) status = users.length === 0 ? x.noHits : users.length === 1 ? x.countOne : fill(x.count, { n: formatCount(users.length, lang) });
  }
  return (
    <section aria-label={t.tabCalendar} className={s.page}>
      <Text role="status">{status}</Text>
      {cal.data && !cal.data.enabled && <Text as="p">{x.notConfigured}</Text>}
      {cal.data?.enabled && (
        <>
          <Text as="p">{cal.data.notifications ? x.notifications : x.noNotifications}</Text>
          <Field label={x.filter} className={s.wide}>
            <SearchBox
              value={filter}
              onChange={(_e, d) => {
                setFilter(d.value);
                setOffset(0);
              }}
            />
          </Field>
          {page.length > 0 && (
            <>
              <div className={s.tableWrap}>
                <Table data-testid="calendar-table" aria-label={x.table} size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>{x.colUser}</TableHeaderCell>
                      <TableHeaderCell>{x.colExtension}</TableHeaderCell>
                      <TableHeaderCell>{x.colLastSync}</TableHeaderCell>
                      <TableHeaderCell>{x.colLag}</TableHeaderCell>
                      <TableHeaderCell>{x.colLastError}</TableHeaderCell>
                      <TableHeaderCell>{x.colSubscription}</TableHeaderCell>
                      <TableHeaderCell>{x.colProcess}</TableHeaderCell>
                      <TableHeaderCell>{x.colActions}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {page.map((u) => (
                      <TableRow key={u.oid} data-testid="calendar-row">
                        <TableCell>{u.oid}</TableCell>
                        <TableCell>{u.extension ?? t.none}</TableCell>
                        <TableCell>{formatInstant(u.lastSuccessAt, t)}</TableCell>
                        <TableCell>{formatLag(u.lagSeconds, t)}</TableCell>
                        <TableCell>{u.lastError ? fill(x.errorAt, { error: u.lastError, at: formatInstant(u.lastErrorAt, t) }) : t.none}</TableCell>
                        <TableCell>{u.subscriptionActive ? formatInstant(u.subscriptionExpiresAt, t) : x.noSubscription}</TableCell>
                        <TableCell>{u.process ?? x.processNone}</TableCell>
                        <TableCell>
                          <Button size="small" onClick={() => void resync(u, who(u))} aria-label={fill(x.resyncLabel, { who: who(u) })}>
                            {x.resync}
                          </Button>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
              <Pager lang={lang} label={x.users} offset={offset} limit={PAGE_SIZE} shown={page.length} total={users.length} onOffset={setOffset} />
            </>
          )}
        </>
      )}
      {cal.data?.google?.enabled && <GoogleSection google={cal.data.google} lang={lang} onResync={(u) => void resync(u, u.email ?? u.extension ?? u.oid)} />}
      {cal.data && (cal.data.enabled || cal.data.google?.enabled) && <ProcessesSection processes={cal.data.processes ?? []} thisProcess={cal.data.thisProcess} lang={lang} />}
      <DirectorySection client={client} lang={lang} />
    </section>
  );
}
