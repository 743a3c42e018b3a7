/**
 * Användare och anknytningar: search (debounced) → GET /admin/users one page of 50 at a time
 * (the server pages; 5 000 users are never loaded at once), the table, Ändra / Ta bort koppling
 * per row, and Koppla ny användare.
 */
import { Button, Field, SearchBox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import type { AdminClient } from '../../api';
import { errorText, fill, formatCount } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { AdminUserRow } from '../../types';
import { Pager } from '../../ui/Pager';
import { useStyles } from '../../ui/styles';
import { useDebounced } from '../../ui/useDebounced';
import { useLoad } from '../../ui/useLoad';
import { CalendarCell, DeliveryCell, diversionText, ExtensionCell } from './cells';
import { USER_TEXTS, type UserTexts } from './texts';
import { UserForm } from './UserForm';

export const PAGE_SIZE = 50;

export interface UsersPageProps {
  client: AdminClient;
  lang: Lang;
  debounceMs?: number;
}

const who = (r: AdminUserRow, x: UserTexts) => {
  const name = r.displayName ?? r.upn ?? r.mail ?? x.noName;
  return r.extension ? `${name} (${r.extension})` : name;
};

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; row: AdminUserRow };

function Actions({ row, lang, onEdit, onUnlink }: { row: AdminUserRow; lang: Lang; onEdit(): void; onUnlink(): Promise<void> }) {
  const x = USER_TEXTS[lang];
  const s = useStyles();
  const [asking, setAsking] = React.useState(false);
  if (asking) {
    return (
      <div className={s.actions} role="group" aria-label={fill(x.unlinkLabel, { who: who(row, x) })}>
        <Text>{fill(x.unlinkConfirm, { name: row.displayName ?? row.upn ?? row.oid, extension: row.extension ?? '' })}</Text>
        <Button appearance="primary" onClick={() => void onUnlink().finally(() => setAsking(false))}>
          {x.unlinkYes}
        </Button>
        <Button onClick={() => setAsking(false)}>{COMMON_TEXTS[lang].cancel}</Button>
      </div>
    );
  }
  return (
    <div className={s.actions}>
      <Button size="small" onClick={onEdit} aria-label={fill(x.editLabel, { who: who(row, x) })}>
        {x.edit}
      </Button>
      {row.extension && (
        <Button size="small" onClick={() => setAsking(true)} aria-label={fill(x.unlinkLabel, { who: who(row, x) })}>
          {x.unlink}
        </Button>
      )}
    </div>
  );
}

export function UsersPage({ client, lang, debounceMs = 250 }: UsersPageProps) {
  const x = USER_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const [query, setQuery] = React.useState('');
  const settled = useDebounced(query.trim(), debounceMs);
  const [page, setPage] = React.useState({ q: '', offset: 0 });
  const [editing, setEditing] = React.useState<Editing>({ kind: 'none' });
  const [message, setMessage] = React.useState('');
  React.useEffect(() => setPage((p) => (p.q === settled ? p : { q: settled, offset: 0 })), [settled]);

  const users = useLoad(() => client.users({ q: page.q, offset: page.offset, limit: PAGE_SIZE }), [client, page.q, page.offset]);
  const data = users.data;

  const unlink = async (row: AdminUserRow) => {
    try {
      await client.unlinkUser(row.oid);
      setMessage(fill(x.unlinked, { name: row.displayName ?? row.upn ?? row.oid, extension: row.extension ?? '' }));
      users.reload();
    } catch (e) {
      setMessage(errorText(e, t));
    }
  };

  let status: string;
  if (users.error) status = errorText(users.error, t);
  else if (!data) status = t.loading;
  else if (message) status = message;
  else if (users.loading) status = x.searching;
  else status = data.total === 0 ? x.noHits : data.total === 1 ? x.countOne : fill(x.count, { n: formatCount(data.total, lang) });

  return (
    <section aria-label={t.tabUsers} className={s.page}>
      <div className={s.toolbar}>
        <Field label={x.search} className={s.wide}>
          <SearchBox
            data-testid="users-search"
            value={query}
            onChange={(_e, d) => {
              setQuery(d.value);
              setMessage('');
            }}
          />
        </Field>
        <Button
          appearance="primary"
          onClick={() => {
            setMessage('');
            setEditing({ kind: 'new' });
          }}
        >
          {x.linkNew}
        </Button>
      </div>
      <Text role="status">{status}</Text>
      {editing.kind !== 'none' && (
        <UserForm
          key={editing.kind === 'edit' ? editing.row.oid : 'new'}
          client={client}
          lang={lang}
          row={editing.kind === 'edit' ? editing.row : null}
          onCancel={() => setEditing({ kind: 'none' })}
          onSaved={(u) => {
            setEditing({ kind: 'none' });
            setMessage(fill(x.saved, { name: u.displayName ?? u.oid, extension: u.extension ?? '' }));
            users.reload();
          }}
        />
      )}
      {data && data.users.length > 0 && (
        <>
          <div className={s.tableWrap}>
            <Table data-testid="users-table" aria-label={x.table} size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{x.colName}</TableHeaderCell>
                  <TableHeaderCell>{x.colUpn}</TableHeaderCell>
                  <TableHeaderCell>{x.colExtension}</TableHeaderCell>
                  <TableHeaderCell>{x.colDiversion}</TableHeaderCell>
                  <TableHeaderCell>{x.colDelivery}</TableHeaderCell>
                  <TableHeaderCell>{x.colCalendar}</TableHeaderCell>
                  <TableHeaderCell>{x.colActions}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.users.map((r) => (
                  <TableRow key={`${r.tid}:${r.oid}`}>
                    <TableCell>{r.displayName ?? x.noName}</TableCell>
                    <TableCell>
                      {r.upn ?? r.mail ?? t.none}
                      {r.mail && r.upn && r.mail.toLowerCase() !== r.upn.toLowerCase() && (
                        <>
                          <br />
                          <Text size={200}>{r.mail}</Text>
                        </>
                      )}
                    </TableCell>
                    <TableCell>
                      <ExtensionCell row={r} lang={lang} />
                    </TableCell>
                    <TableCell>{diversionText(r, lang)}</TableCell>
                    <TableCell>
                      <DeliveryCell row={r} lang={lang} />
                    </TableCell>
                    <TableCell>
                      <CalendarCell row={r} lang={lang} />
                    </TableCell>
                    <TableCell>
                      <Actions
                        row={r}
                        lang={lang}
                        onEdit={() => {
                          setMessage('');
                          setEditing({ kind: 'edit', row: r });
                        }}
                        onUnlink={() => unlink(r)}
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <Pager lang={lang} label={x.users} offset={data.offset} limit={PAGE_SIZE} shown={data.users.length} total={data.total} onOffset={(offset) => setPage((p) => ({ ...p, offset }))} />
        </>
      )}
    </section>
  );
}
