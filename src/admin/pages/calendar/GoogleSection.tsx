/**
 * Kalendersynk's Google part (issue 17): the users read from Google Calendar, per user the last
 * sync, lag, last error, push channel and the process reading it, and Synka om (the same action as Graph's rows).
 */
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { fill, formatInstant, formatLag } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { CalendarStatus } from '../../types';
import { useStyles } from '../../ui/styles';
import { CALENDAR_TEXTS } from './texts';

export type GoogleUser = CalendarStatus['google']['users'][number];

export function GoogleSection({ google, lang, onResync }: { google: CalendarStatus['google']; lang: Lang; onResync: (u: GoogleUser) => void }) {
  const x = CALENDAR_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const titleId = React.useId();
  return (
    <section aria-labelledby={titleId} className={s.panel}>
      <h3 id={titleId}>{x.googleTitle}</h3>
      <Text as="p">{google.notifications ? x.googleNotifications : x.googleNoNotifications}</Text>
      {google.users.length === 0 ? (
        <Text as="p">{x.googleNone}</Text>
      ) : (
        <div className={s.tableWrap}>
          <Table data-testid="google-table" aria-label={x.googleTable} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{x.colGoogleUser}</TableHeaderCell>
                <TableHeaderCell>{x.colExtension}</TableHeaderCell>
                <TableHeaderCell>{x.colLastSync}</TableHeaderCell>
                <TableHeaderCell>{x.colLag}</TableHeaderCell>
                <TableHeaderCell>{x.colLastError}</TableHeaderCell>
                <TableHeaderCell>{x.colChannel}</TableHeaderCell>
                <TableHeaderCell>{x.colProcess}</TableHeaderCell>
                <TableHeaderCell>{x.colActions}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {google.users.map((u) => (
                <TableRow key={u.oid} data-testid="google-row">
                  <TableCell>{u.email ?? u.oid}</TableCell>
                  <TableCell>{u.extension ?? t.none}</TableCell>
                  <TableCell>{formatInstant(u.lastSuccessAt, t)}</TableCell>
                  <TableCell>{formatLag(u.lagSeconds, t)}</TableCell>
                  <TableCell>{u.lastError ? fill(x.errorAt, { error: u.lastError, at: formatInstant(u.lastErrorAt, t) }) : t.none}</TableCell>
                  <TableCell>{u.channelActive ? formatInstant(u.channelExpiresAt, t) : x.noChannel}</TableCell>
                  <TableCell>{u.process ?? x.processNone}</TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => onResync(u)} aria-label={fill(x.resyncLabel, { who: u.email ?? u.extension ?? u.oid })}>
                      {x.resync}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
