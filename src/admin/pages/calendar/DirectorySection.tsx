/**
 * The directory (when linking from Entra ID is configured): which attribute, when it runs, the
 * last run, and Hämta från katalogen → a dry run listing who would be linked or moved and who is
 * skipped → Verkställ (POST /admin/directory/sync). A run never unlinks anyone.
 */
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { AdminError, type AdminClient } from '../../api';
import { errorText, fill, formatCount, formatInstant } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { DirectorySync } from '../../types';
import { useStyles } from '../../ui/styles';
import { useLoad } from '../../ui/useLoad';
import { CALENDAR_TEXTS, type CalendarTexts } from './texts';

const MAX_SHOWN = 500;

const SKIP: Record<DirectorySync['skipped'][number]['reason'], keyof CalendarTexts> = { noValue: 'skipNoValue', malformed: 'skipMalformed', duplicate: 'skipDuplicate' };

function Run({ sync, lang }: { sync: DirectorySync; lang: Lang }) {
  const x = CALENDAR_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const n = (v: number) => formatCount(v, lang);
  const { summary } = sync;
  return (
    <>
      <Text as="p" data-testid="directory-summary">
        {`${x.summaryLinked}: ${n(summary.linked)} · ${x.summaryChanged}: ${n(summary.changed)} · ${x.summaryUnchanged}: ${n(summary.unchanged)} · ${x.summarySkipped}: ${n(summary.skipped)}`}
      </Text>
      {sync.changes.length > 0 && (
        <div className={s.tableWrap}>
          <Table aria-label={x.changesTable} size="small" data-testid="directory-changes">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{x.colChangeUser}</TableHeaderCell>
                <TableHeaderCell>{x.colChangeBefore}</TableHeaderCell>
                <TableHeaderCell>{x.colChangeAfter}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sync.changes.slice(0, MAX_SHOWN).map((c) => (
                <TableRow key={c.oid}>
                  <TableCell>{c.displayName ?? c.upn ?? c.oid}</TableCell>
                  <TableCell>{c.before ?? t.none}</TableCell>
                  <TableCell>{c.after}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {sync.skipped.length > 0 && (
        <div className={s.tableWrap}>
          <Table aria-label={x.skippedTable} size="small" data-testid="directory-skipped">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{x.colChangeUser}</TableHeaderCell>
                <TableHeaderCell>{x.colSkipReason}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sync.skipped.slice(0, MAX_SHOWN).map((k) => (
                <TableRow key={k.oid}>
                  <TableCell>{k.upn ?? k.oid}</TableCell>
                  <TableCell>{x[SKIP[k.reason]] ?? k.reason}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}

export function DirectorySection({ client, lang }: { client: AdminClient; lang: Lang }) {
  const x = CALENDAR_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const dir = useLoad(() => client.directory(), [client]);
  const [sync, setSync] = React.useState<DirectorySync | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [status, setStatus] = React.useState('');
  const titleId = React.useId();

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setStatus(dryRun ? x.directoryChecking : x.directoryApplying);
    try {
      const r = await client.directorySync(dryRun);
      setSync(r);
      const count = r.changes.length;
      if (count === 0) setStatus(x.directoryNoChanges);
      else if (count === 1) setStatus(dryRun ? x.directoryDryRunDoneOne : x.directoryAppliedOne);
      else setStatus(fill(dryRun ? x.directoryDryRunDone : x.directoryApplied, { n: formatCount(count, lang) }));
      if (!dryRun) dir.reload();
    } catch (e) {
      if (e instanceof AdminError && e.status === 502) setStatus(x.directoryUnavailable);
      else if (e instanceof AdminError && e.status === 409) setStatus(x.directoryNotConfigured);
      else setStatus(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const d = dir.data;
  const shown = sync ?? d?.lastRun ?? null;
  return (
    <section aria-labelledby={titleId} className={s.panel}>
      <h3 id={titleId}>{x.directoryTitle}</h3>
      {dir.error ? <Text>{errorText(dir.error, t)}</Text> : null}
      {!d && !dir.error && <Text>{t.loading}</Text>}
      {d && !d.enabled && <Text>{x.directoryOff}</Text>}
      {d?.enabled && (
        <>
          {d.attribute && <Text as="p">{fill(x.directoryAttribute, { attribute: d.attribute })}</Text>}
          {d.digits > 0 && <Text as="p">{fill(x.directoryDigits, { n: d.digits })}</Text>}
          <Text as="p">{d.syncAt ? fill(x.directoryDaily, { time: d.syncAt }) : x.directoryOnDemand}</Text>
          <Text as="p">{d.lastRunAt ? fill(x.directoryLastRun, { at: formatInstant(d.lastRunAt, t) }) : x.directoryNeverRun}</Text>
          <div className={s.actions}>
            <Button appearance="primary" disabled={busy} onClick={() => void run(true)}>
              {x.directoryDryRun}
            </Button>
            <Button disabled={busy || !sync?.dryRun || sync.changes.length === 0} onClick={() => void run(false)}>
              {x.directoryApply}
            </Button>
          </div>
          <Text role="status">{status}</Text>
          {shown && <Run sync={shown} lang={lang} />}
        </>
      )}
    </section>
  );
}
