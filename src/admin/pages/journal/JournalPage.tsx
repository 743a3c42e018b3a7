/** Journal: GET /admin/switch (the newest 200, optionally one extension), what each state said. */
import { Field, Input, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import type { AdminClient } from '../../api';
import { errorText, fill, formatCount, formatInstant } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import { stateSummary } from '../../ui/state';
import { useStyles } from '../../ui/styles';
import { useDebounced } from '../../ui/useDebounced';
import { useLoad } from '../../ui/useLoad';
import { JOURNAL_TEXTS } from './texts';

export interface JournalPageProps {
  client: AdminClient;
  lang: Lang;
  debounceMs?: number;
}

export function JournalPage({ client, lang, debounceMs = 250 }: JournalPageProps) {
  const x = JOURNAL_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const [extension, setExtension] = React.useState('');
  // The endpoint takes digits only here (the start of an extension).
  const ext = useDebounced(extension.replace(/\D/g, ''), debounceMs);
  const journal = useLoad(() => client.journal({ extension: ext, limit: 200 }), [client, ext]);
  const entries = journal.data?.entries ?? [];
  let status: string;
  if (journal.error) status = errorText(journal.error, t);
  else if (!journal.data || journal.loading) status = t.loading;
  else status = entries.length === 0 ? x.noHits : entries.length === 1 ? x.countOne : fill(x.count, { n: formatCount(entries.length, lang) });
  return (
    <section aria-label={t.tabJournal} className={s.page}>
      <Text as="p">{x.intro}</Text>
      <Field label={x.filter}>
        <Input value={extension} inputMode="numeric" onChange={(_e, d) => setExtension(d.value)} />
      </Field>
      <Text role="status">{status}</Text>
      {entries.length > 0 && (
        <div className={s.tableWrap}>
          <Table data-testid="journal-table" aria-label={x.table} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{x.colAt}</TableHeaderCell>
                <TableHeaderCell>{x.colExtension}</TableHeaderCell>
                <TableHeaderCell>{x.colVersion}</TableHeaderCell>
                <TableHeaderCell>{x.colState}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((e) => (
                <TableRow key={`${e.extension}:${e.version}`} data-testid="journal-row">
                  <TableCell>{formatInstant(e.at, t)}</TableCell>
                  <TableCell>{e.extension}</TableCell>
                  <TableCell>{e.version}</TableCell>
                  <TableCell>{stateSummary(e.state, t, x.noDiversion)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
