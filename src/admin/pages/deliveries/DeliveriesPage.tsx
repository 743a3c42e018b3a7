/**
 * Leveranser: GET /admin/deliveries (50 a page, ordered by extension), polled every 3 s while
 * the page is visible; Bara misslyckade and an extension filter; Försök igen per row and for all
 * failed deliveries at once.
 */
import { Badge, Button, Checkbox, Field, Input, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import type { AdminClient } from '../../api';
import { errorText, fill, formatCount, formatInstant } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import { Pager } from '../../ui/Pager';
import { stateSummary } from '../../ui/state';
import { useStyles } from '../../ui/styles';
import { useDebounced } from '../../ui/useDebounced';
import { useLoad } from '../../ui/useLoad';
import { DELIVERY_TEXTS } from './texts';

export const PAGE_SIZE = 50;

export interface DeliveriesPageProps {
  client: AdminClient;
  lang: Lang;
  pollMs?: number;
  debounceMs?: number;
}

export function DeliveriesPage({ client, lang, pollMs = 3000, debounceMs = 250 }: DeliveriesPageProps) {
  const x = DELIVERY_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const [extension, setExtension] = React.useState('');
  // The endpoint takes digits only here (the start of an extension).
  const ext = useDebounced(extension.replace(/\D/g, ''), debounceMs);
  const [q, setQ] = React.useState({ failed: false, ext: '', offset: 0 });
  const [message, setMessage] = React.useState('');
  React.useEffect(() => setQ((p) => (p.ext === ext ? p : { ...p, ext, offset: 0 })), [ext]);
  const { failed, offset } = q;

  const list = useLoad(() => client.deliveries({ failed: q.failed, extension: q.ext, offset: q.offset, limit: PAGE_SIZE }), [client, q], pollMs);
  const data = list.data;

  const retry = async (extension: string) => {
    try {
      await client.retryDelivery(extension);
      setMessage(fill(x.retrying, { extension }));
      list.reload();
    } catch (e) {
      setMessage(errorText(e, t));
    }
  };
  const retryAll = async () => {
    try {
      const { retried } = await client.retryFailed();
      setMessage(retried === 0 ? x.retriedNone : retried === 1 ? x.retriedOne : fill(x.retriedMany, { n: formatCount(retried, lang) }));
      list.reload();
    } catch (e) {
      setMessage(errorText(e, t));
    }
  };

  let status = message;
  if (!status) {
    if (list.error) status = errorText(list.error, t);
    else if (!data) status = t.loading;
    else status = data.total === 0 ? x.noHits : data.total === 1 ? x.countOne : fill(x.count, { n: formatCount(data.total, lang) });
  }
  return (
    <section aria-label={t.tabDeliveries} className={s.page}>
      <Text as="p">{x.intro}</Text>
      <div className={s.toolbar}>
        <Field label={x.extensionFilter}>
          <Input value={extension} inputMode="numeric" onChange={(_e, d) => setExtension(d.value)} />
        </Field>
        <Checkbox label={x.onlyFailed} checked={failed} onChange={(_e, d) => {
            setMessage('');
            setQ((p) => ({ ...p, failed: d.checked === true, offset: 0 }));
          }} />
        <Button onClick={() => void retryAll()}>{x.retryAll}</Button>
      </div>
      <Text role="status">{status}</Text>
      {message && list.error ? <Text className={s.error}>{errorText(list.error, t)}</Text> : null}
      {data && data.deliveries.length > 0 && (
        <>
          <div className={s.tableWrap}>
            <Table data-testid="deliveries-table" aria-label={x.table} size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{x.colExtension}</TableHeaderCell>
                  <TableHeaderCell>{x.colState}</TableHeaderCell>
                  <TableHeaderCell>{x.colVersion}</TableHeaderCell>
                  <TableHeaderCell>{x.colDeliveredVersion}</TableHeaderCell>
                  <TableHeaderCell>{x.colDeliveredAt}</TableHeaderCell>
                  <TableHeaderCell>{x.colAttempts}</TableHeaderCell>
                  <TableHeaderCell>{x.colNextAttempt}</TableHeaderCell>
                  <TableHeaderCell>{x.colLastError}</TableHeaderCell>
                  <TableHeaderCell>{x.colFailed}</TableHeaderCell>
                  <TableHeaderCell>{x.colActions}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.deliveries.map((d) => (
                  <TableRow key={d.extension} data-testid="delivery-row">
                    <TableCell>{d.extension}</TableCell>
                    <TableCell>{stateSummary(d.state, t, x.noDiversion)}</TableCell>
                    <TableCell>{d.version}</TableCell>
                    <TableCell>{d.deliveredVersion}</TableCell>
                    <TableCell>{formatInstant(d.deliveredAt, t)}</TableCell>
                    <TableCell>{d.attempts}</TableCell>
                    <TableCell>{formatInstant(d.nextAttemptAt, t)}</TableCell>
                    <TableCell>{d.lastError ?? t.none}</TableCell>
                    <TableCell>
                      {d.failed ? (
                        <Badge appearance="filled" color="danger">
                          {t.yes}
                        </Badge>
                      ) : (
                        t.no
                      )}
                    </TableCell>
                    <TableCell>
                      <Button size="small" onClick={() => void retry(d.extension)} aria-label={fill(x.retryLabel, { extension: d.extension })}>
                        {x.retry}
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <Pager lang={lang} label={x.deliveries} offset={data.offset ?? offset} limit={PAGE_SIZE} shown={data.deliveries.length} total={data.total ?? data.deliveries.length} onOffset={(o) => setQ((p) => ({ ...p, offset: o }))} />
        </>
      )}
    </section>
  );
}
