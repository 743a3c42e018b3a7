/** What a dry run or an applied import answered: the counts, a filter, and the rows with their status and reason. */
import { Badge, Radio, RadioGroup, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { fill, formatCount } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { ImportResult as Result, ImportRow, ImportStatus } from '../../types';
import { useStyles } from '../../ui/styles';
import { IMPORT_TEXTS, type ImportTexts } from './texts';

/** Rows shown at once: a 20 000-row file stays responsive; the filter finds the rest. */
export const MAX_SHOWN = 500;

export type RowFilter = 'all' | 'errors' | 'changes';

const STATUS_COLOR: Record<ImportStatus, 'success' | 'warning' | 'informative' | 'danger'> = { new: 'success', changed: 'warning', unchanged: 'informative', error: 'danger' };

function statusText(s: ImportStatus, x: ImportTexts): string {
  return { new: x.statusNew, changed: x.statusChanged, unchanged: x.statusUnchanged, error: x.statusError }[s];
}

const REASONS: Record<string, keyof ImportTexts> = {
  unknownUser: 'reasonUnknownUser',
  extensionMalformed: 'reasonExtensionMalformed',
  duplicateUser: 'reasonDuplicateUser',
  duplicateExtension: 'reasonDuplicateExtension',
  sharedMalformed: 'reasonSharedMalformed',
  missingColumn: 'reasonMissingColumn',
  missingValue: 'reasonMissingValue',
};

export function reasonText(row: ImportRow, lang: Lang): string {
  const r = row.reason;
  if (!r) return '';
  const given = r.message?.[lang];
  if (given) return given;
  const x = IMPORT_TEXTS[lang];
  return x[REASONS[r.code] ?? 'reasonOther'];
}

function keep(row: ImportRow, filter: RowFilter): boolean {
  if (filter === 'errors') return row.status === 'error';
  if (filter === 'changes') return row.status === 'new' || row.status === 'changed';
  return true;
}

function ExtensionCell({ row, x }: { row: ImportRow; x: ImportTexts }) {
  const was = row.before?.extension;
  return (
    <>
      {row.extension ?? '—'}
      {row.status === 'changed' && was !== undefined && was !== row.extension && (
        <Text size={200}> ({fill(x.before, { value: was ?? '—' })})</Text>
      )}
    </>
  );
}

export function ImportResultView({ result, lang }: { result: Result; lang: Lang }) {
  const x = IMPORT_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const [filter, setFilter] = React.useState<RowFilter>('all');
  const rows = React.useMemo(() => result.rows.filter((r) => keep(r, filter)), [result, filter]);
  const shown = rows.slice(0, MAX_SHOWN);
  const n = (v: number) => formatCount(v, lang);
  return (
    <section data-testid="import-result" aria-label={x.summary} className={s.page}>
      <dl className={s.actions} aria-label={x.summary}>
        {(
          [
            [x.summaryNew, result.summary.new, 'import-new'],
            [x.summaryChanged, result.summary.changed, 'import-changed'],
            [x.summaryUnchanged, result.summary.unchanged, 'import-unchanged'],
            [x.summaryError, result.summary.error, 'import-error'],
          ] as const
        ).map(([label, value, id]) => (
          <div key={id} data-testid={id}>
            <dt>
              <Text weight="semibold">{label}</Text>
            </dt>
            <dd className={s.plain}>
              <Text size={500}>{n(value)}</Text>
            </dd>
          </div>
        ))}
      </dl>
      <RadioGroup layout="horizontal" value={filter} onChange={(_e, d) => setFilter(d.value as RowFilter)} aria-label={x.filter}>
        <Radio value="all" label={x.filterAll} />
        <Radio value="errors" label={x.filterErrors} />
        <Radio value="changes" label={x.filterChanges} />
      </RadioGroup>
      {rows.length > MAX_SHOWN && <Text>{fill(x.shownFirst, { shown: n(MAX_SHOWN), n: n(rows.length) })}</Text>}
      {rows.length === 0 ? (
        <Text>{x.noRows}</Text>
      ) : (
        <div className={s.tableWrap}>
          <Table aria-label={x.table} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{x.colLine}</TableHeaderCell>
                <TableHeaderCell>{x.colUser}</TableHeaderCell>
                <TableHeaderCell>{x.colName}</TableHeaderCell>
                <TableHeaderCell>{x.colExtension}</TableHeaderCell>
                <TableHeaderCell>{x.colShared}</TableHeaderCell>
                <TableHeaderCell>{x.colStatus}</TableHeaderCell>
                <TableHeaderCell>{x.colReason}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((r) => (
                <TableRow key={r.line} data-testid="import-row">
                  <TableCell>{r.line}</TableCell>
                  <TableCell>{r.user}</TableCell>
                  <TableCell>{r.displayName ?? t.none}</TableCell>
                  <TableCell>
                    <ExtensionCell row={r} x={x} />
                  </TableCell>
                  <TableCell>{r.shared ? t.yes : t.no}</TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={STATUS_COLOR[r.status] ?? 'informative'}>
                      {statusText(r.status, x) ?? r.status}
                    </Badge>
                  </TableCell>
                  <TableCell>{reasonText(r, lang)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
