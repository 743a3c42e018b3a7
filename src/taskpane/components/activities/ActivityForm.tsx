/**
 * Ny aktivitet (guide 3.3.1): Aktivitet, Vidarebefordra till, Från and Till (Till proposed from
 * the code's standard length by the core: minutes, or the next working day's start), Tills
 * vidare, Information, "Visa bara informationen för telefonister"; Spara / Avbryt.
 */
import { Button, Checkbox } from '@fluentui/react-components';
import * as React from 'react';
import { suggestEnd } from '../../../core/activity';
import { type Catalog, FORWARD_KEY, type Lang } from '../../../core/catalog';
import type { ContactProfile } from '../../../core/settings';
import type { EndpointClient, NewActivityBody } from '../../api/client';
import {
  ActivityPicker,
  checkCommon,
  DateTime,
  defaultForwarding,
  explainError,
  type FieldErrors,
  FormStatus,
  ForwardingFields,
  type ForwardingState,
  forwardingBody,
  InfoFields,
  type InfoState,
} from './fields';
import type { ActivityTexts } from './texts';
import type { WorkCalendar } from '../../../core/time';
import { fromLocalInput, type LocalInput, toLocalInput, tryCore } from '../time';

export interface FormProps {
  client: EndpointClient;
  x: ActivityTexts;
  lang: Lang;
  catalog: Catalog;
  zone: string;
  /** The organisation's working calendar (null while its holiday tables load). */
  cal: WorkCalendar | null;
  profile?: ContactProfile;
  now: () => number;
  onSaved: () => void;
  onCancel: () => void;
}

const MINUTE = 60_000;

export function ActivityForm({ client, x, lang, catalog, zone, cal, profile, now, onSaved, onCancel }: FormProps) {
  const [key, setKey] = React.useState('');
  const [fwd, setFwd] = React.useState<ForwardingState>(() => defaultForwarding('', catalog, profile));
  const [from, setFrom] = React.useState<LocalInput>(() => toLocalInput(Math.floor(now() / MINUTE) * MINUTE, zone));
  const [to, setTo] = React.useState<LocalInput>({ date: '', time: '' });
  const [untilFurtherNotice, setUntilFurtherNotice] = React.useState(false);
  const [info, setInfo] = React.useState<InfoState>({ text: '', operatorOnly: false });
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [general, setGeneral] = React.useState('');
  const [busy, setBusy] = React.useState(false);

  // "Beroende vilket val du väljer föreslås en Till-tid": the core's suggestion for the code and Från.
  const fromAt = fromLocalInput(from, zone);
  React.useEffect(() => {
    const code = catalog.find(key) ?? null;
    if (!cal || fromAt === null || !code) return;
    const end = tryCore(() => suggestEnd(code, fromAt, cal));
    if (end !== null) setTo(toLocalInput(end, zone));
  }, [key, fromAt, cal, catalog, zone]);

  const chooseKey = (k: string) => {
    setKey(k);
    setFwd(defaultForwarding(k, catalog, profile));
    // Vidarekoppla suggests "tills vidare" (no standard length).
    if (k === FORWARD_KEY) setUntilFurtherNotice(true);
  };

  const check = (): FieldErrors => {
    const e = checkCommon(key, fwd, info, x);
    if (fromAt === null) e.from = x.errFrom;
    if (!untilFurtherNotice) {
      const toAt = fromLocalInput(to, zone);
      if (toAt === null || (fromAt !== null && toAt <= fromAt)) e.to = x.errTo;
    }
    return e;
  };

  const save = async () => {
    const found = check();
    setErrors(found);
    setGeneral('');
    if (Object.keys(found).length > 0 || fromAt === null) return;
    const toAt = untilFurtherNotice ? null : fromLocalInput(to, zone);
    const body: NewActivityBody = {
      key,
      ...forwardingBody(fwd, profile !== undefined),
      from: new Date(fromAt).toISOString(),
      to: toAt === null ? null : new Date(toAt).toISOString(),
      ...(info.text.trim() ? { text: info.text.trim() } : {}),
      operatorOnly: info.operatorOnly,
    };
    setBusy(true);
    try {
      await client.createActivity(body);
      onSaved();
    } catch (err) {
      const r = explainError(err, x, false);
      setErrors(r.errors);
      setGeneral(r.general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      data-testid="activity-new"
      aria-label={x.newActivity}
      className="kk-fieldset"
      style={{ padding: 8 }}
      // The pane checks the inputs itself and says what is wrong next to each (no browser bubbles).
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ActivityPicker value={key} onChange={chooseKey} catalog={catalog} lang={lang} x={x} error={errors.key} />
      <ForwardingFields value={fwd} onChange={setFwd} forward={key === FORWARD_KEY} x={x} errors={errors} />
      <DateTime label={x.from} value={from} onChange={setFrom} x={x} error={errors.from} />
      <DateTime label={x.to} value={to} onChange={setTo} x={x} disabled={untilFurtherNotice} error={errors.to} />
      <Checkbox label={x.untilFurtherNotice} checked={untilFurtherNotice} onChange={(_e, d) => setUntilFurtherNotice(!!d.checked)} />
      <InfoFields value={info} onChange={setInfo} x={x} error={errors.text} />
      <FormStatus text={general} />
      <div style={{ display: 'flex', gap: 6 }}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {x.save}
        </Button>
        <Button type="button" onClick={onCancel}>
          {x.cancel}
        </Button>
      </div>
    </form>
  );
}
