/**
 * Förhandsgranska: one booking (default "NP/L: Lunch", today 12:00–13:00) through the draft
 * organisation (POST /admin/org/preview), before it is saved: whether it diverts, the code, what
 * a caller hears and the warnings. A draft the endpoint refuses is marked in the editor.
 */
import { Button, Field, Input, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { AdminError, type AdminClient } from '../../api';
import { errorText, fill, formatInstant, localDate, normalizeField } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { AdminPreview, OrgDocument } from '../../types';
import { useStyles } from '../../ui/styles';
import type { Errors } from './model';
import { ORG_TEXTS, type OrgTexts } from './texts';

export interface PreviewBoxProps {
  client: AdminClient;
  lang: Lang;
  /** The draft as a document and its `catalog[i]` keys; null when the editor found an error first. */
  draft(): { doc: OrgDocument; keys: string[] } | null;
  /** Marks the editor's inputs a refused draft names; returns false when none is named. */
  onDraftError(e: AdminError, keys: string[]): boolean;
  zone: string;
}

function inZone(d: Date, zone: string, opts: Intl.DateTimeFormatOptions, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone: zone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale, opts).format(d);
  }
}

/** What a caller hears: the endpoint's words when it sends them, else worded from the resolution as the switch says it. */
export function callerHears(p: AdminPreview, x: OrgTexts, lang: Lang, zone: string): string {
  if (typeof p.spoken === 'string' && p.spoken) return p.spoken;
  const given = p.callerHears?.[lang];
  if (given) return given;
  if (!p.diverts) return COMMON_TEXTS[lang].none;
  const f = p.forwarding;
  if (!f || f.mode === 'none') return x.phoneRings;
  if (f.mode === 'number') return fill(x.forwardedTo, { number: f.number ?? '' });
  const label = p.code?.label ?? '';
  if (!p.to) return fill(x.untilFurtherNotice, { label });
  const to = new Date(p.to);
  const at = p.from ? new Date(p.from) : new Date();
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  const day = (d: Date) => inZone(d, zone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'sv-SE');
  if (day(to) === day(at)) {
    const hhmm = inZone(to, zone, { hour: '2-digit', minute: '2-digit', hour12: false }, 'sv-SE').replace(/\D/g, '').padStart(4, '0');
    return fill(x.backAt, { label, time: `${hhmm.slice(0, 2)}${lang === 'sv' ? '.' : ':'}${hhmm.slice(2)}` });
  }
  return fill(x.backOn, { label, date: inZone(to, zone, { weekday: 'long', day: 'numeric', month: 'long' }, locale) });
}

const localInput = (d: Date, hh: string) => `${localDate(d)}T${hh}`;

export function PreviewBox({ client, lang, draft, onDraftError, zone }: PreviewBoxProps) {
  const x = ORG_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const today = React.useMemo(() => new Date(), []);
  const [subject, setSubject] = React.useState('NP/L: Lunch');
  const [start, setStart] = React.useState(localInput(today, '12:00'));
  const [end, setEnd] = React.useState(localInput(today, '13:00'));
  const [errors, setErrors] = React.useState<Errors>({});
  const [status, setStatus] = React.useState('');
  const [result, setResult] = React.useState<AdminPreview | null>(null);
  const titleId = React.useId();

  const run = async () => {
    const from = new Date(start);
    const to = new Date(end);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) {
      setErrors({ start: x.errStartEnd });
      return;
    }
    setErrors({});
    const d = draft();
    if (!d) {
      setStatus(x.previewFailedField);
      return;
    }
    setStatus(x.previewing);
    try {
      setResult(await client.previewOrg(d.doc, { subject, start: from.toISOString(), end: to.toISOString() }));
      setStatus('');
    } catch (e) {
      setResult(null);
      const f = e instanceof AdminError ? normalizeField(e.field) : null;
      if (f?.startsWith('booking.')) {
        const which = f === 'booking.subject' ? 'subject' : f === 'booking.end' ? 'end' : 'start';
        setErrors({ [which]: which === 'subject' ? t.fieldInvalid : x.errStartEnd });
        setStatus('');
      } else if (e instanceof AdminError && e.status === 400 && onDraftError(e, d.keys)) setStatus(x.previewFailedField);
      else setStatus(errorText(e, t));
    }
  };

  const at = (id: string) => ({ validationMessage: errors[id], validationState: errors[id] ? ('error' as const) : ('none' as const) });
  return (
    <section aria-labelledby={titleId} className={s.panel} data-testid="org-preview">
      <h3 id={titleId}>{x.previewTitle}</h3>
      <Text as="p">{x.previewIntro}</Text>
      <div className={s.toolbar}>
        <Field label={x.subject} className={s.wide} {...at('subject')}>
          <Input value={subject} onChange={(_e, d) => setSubject(d.value)} />
        </Field>
        <Field label={x.start} {...at('start')}>
          <Input type="datetime-local" value={start} onChange={(_e, d) => setStart(d.value)} />
        </Field>
        <Field label={x.end} {...at('end')}>
          <Input type="datetime-local" value={end} onChange={(_e, d) => setEnd(d.value)} />
        </Field>
        <Button onClick={() => void run()}>{x.previewButton}</Button>
      </div>
      <Text role="status">{status}</Text>
      {result && (
        <dl data-testid="org-preview-result">
          <dt>
            <Text weight="semibold">{result.diverts ? x.diverts : x.notDiverts}</Text>
          </dt>
          <dd className={s.plain}>{!result.diverts && result.reasonText ? result.reasonText[lang] : ''}</dd>
          {result.code && (
            <>
              <dt>
                <Text weight="semibold">{x.code}</Text>
              </dt>
              <dd className={s.plain}>{`${result.code.label} (NP/${result.code.key}:${result.code.mex === null ? '' : `, MEX ${result.code.mex}`})`}</dd>
            </>
          )}
          {result.diverts && (
            <>
              <dt>
                <Text weight="semibold">{x.time}</Text>
              </dt>
              <dd className={s.plain}>{`${formatInstant(result.from, t)} – ${result.to ? formatInstant(result.to, t) : t.untilFurtherNotice}`}</dd>
            </>
          )}
          <dt>
            <Text weight="semibold">{x.callerHears}</Text>
          </dt>
          <dd className={s.plain} data-testid="org-preview-hears">
            {callerHears(result, x, lang, zone)}
          </dd>
          {result.warnings.length > 0 && (
            <>
              <dt>
                <Text weight="semibold">{x.warnings}</Text>
              </dt>
              <dd className={s.plain}>
                <ul>
                  {result.warnings.map((w, i) => (
                    <li key={`${w.key}:${i}`}>{w.message[lang]}</li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
