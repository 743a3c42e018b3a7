/**
 * Koppla ny användare / Ändra: object id (new only), Anknytning (2–15 digits, checked before
 * sending), Delad anknytning, Namn and E-post (the Google Workspace address, issue 17) → PUT
 * /admin/users/{oid}. A 400 or 409 that names a field
 * puts the console's own words by that input; the server's English detail is never shown.
 */
import { Button, Checkbox, Field, Input, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { AdminError, type AdminClient } from '../../api';
import { errorText, fill, normalizeField } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { AdminUser, AdminUserRow } from '../../types';
import { useStyles } from '../../ui/styles';
import { USER_TEXTS, type UserTexts } from './texts';

export const EXTENSION_RE = /^[0-9]{2,15}$/;
const MAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type FieldName = 'oid' | 'extension' | 'displayName' | 'mail';
type Errors = Partial<Record<FieldName, string>>;

export interface UserFormProps {
  client: AdminClient;
  lang: Lang;
  /** The row being changed; null: a new link. */
  row: AdminUserRow | null;
  onSaved(user: AdminUser): void;
  onCancel(): void;
}

/** The server's field → the input, with the console's words for it. */
export function fieldError(e: AdminError, x: UserTexts): Errors | null {
  const f = normalizeField(e.field);
  if (f === 'extension') return { extension: e.status === 409 ? x.extensionTaken : x.extensionInvalid };
  if (f === 'displayName') return { displayName: x.nameInvalid };
  if (f === 'oid') return { oid: x.oidInvalid };
  if (f === 'mail') return { mail: x.mailInvalid };
  return null;
}

export function UserForm({ client, lang, row, onSaved, onCancel }: UserFormProps) {
  const x = USER_TEXTS[lang];
  const s = useStyles();
  const [oid, setOid] = React.useState(row?.oid ?? '');
  const [extension, setExtension] = React.useState(row?.extension ?? '');
  const [shared, setShared] = React.useState(row?.shared ?? false);
  const [name, setName] = React.useState(row?.displayName ?? '');
  const [mail, setMail] = React.useState(row?.mail ?? '');
  const [errors, setErrors] = React.useState<Errors>({});
  const [status, setStatus] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const first = React.useRef<HTMLInputElement>(null);
  const titleId = React.useId();
  React.useEffect(() => first.current?.focus(), [row]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const ext = extension.trim();
    const found: Errors = {};
    if (!row && !oid.trim()) found.oid = x.oidMissing;
    if (!EXTENSION_RE.test(ext)) found.extension = x.extensionInvalid;
    if (name.length > 200) found.displayName = x.nameInvalid;
    const m = mail.trim().toLowerCase();
    if (m && !MAIL_RE.test(m)) found.mail = x.mailInvalid;
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setStatus(x.saveFailedField);
      return;
    }
    setBusy(true);
    setStatus(x.saving);
    try {
      const saved = await client.putUser(row?.oid ?? oid.trim(), {
        extension: ext,
        shared,
        displayName: name.trim() ? name.trim() : null,
        ...(m && m !== (row?.mail ?? '') ? { mail: m } : {}),
        ...(row ? { tid: row.tid } : {}),
      });
      setStatus('');
      onSaved(saved);
    } catch (err) {
      const byField = err instanceof AdminError ? fieldError(err, x) : null;
      setErrors(byField ?? {});
      setStatus(byField ? x.saveFailedField : errorText(err, COMMON_TEXTS[lang]));
    } finally {
      setBusy(false);
    }
  };

  const at = (f: FieldName) => ({ validationMessage: errors[f], validationState: errors[f] ? ('error' as const) : ('none' as const) });
  const title = row ? fill(x.formEdit, { name: row.displayName ?? row.upn ?? row.oid }) : x.formNew;
  return (
    <section aria-labelledby={titleId} className={s.panel} data-testid="user-form">
      <h3 id={titleId}>{title}</h3>
      <form className={s.form} onSubmit={(e) => void submit(e)} noValidate>
        {!row && (
          <Field label={x.oid} required {...at('oid')}>
            <Input ref={first} value={oid} onChange={(_e, d) => setOid(d.value)} autoComplete="off" />
          </Field>
        )}
        <Field label={x.extension} hint={x.extensionHint} required {...at('extension')}>
          <Input ref={row ? first : undefined} value={extension} inputMode="numeric" onChange={(_e, d) => setExtension(d.value)} autoComplete="off" />
        </Field>
        <Field hint={x.sharedHint}>
          <Checkbox label={x.sharedLabel} checked={shared} onChange={(_e, d) => setShared(d.checked === true)} />
        </Field>
        <Field label={x.name} {...at('displayName')}>
          <Input value={name} onChange={(_e, d) => setName(d.value)} autoComplete="off" />
        </Field>
        <Field label={x.mail} hint={x.mailHint} {...at('mail')}>
          <Input type="email" value={mail} onChange={(_e, d) => setMail(d.value)} autoComplete="off" />
        </Field>
        <div className={s.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>
            {row ? x.saveEdit : x.connect}
          </Button>
          <Button onClick={onCancel}>{COMMON_TEXTS[lang].cancel}</Button>
        </div>
        <Text role="status">{status}</Text>
      </form>
    </section>
  );
}
