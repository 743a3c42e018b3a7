/**
 * Ny återkommande aktivitet (guide 3.3.2): the first activity's start and end, how it recurs
 * (Varje arbetsdag … Var sjätte vecka), Nästa arbetsdag, when the rule ends or Tills vidare,
 * Information and operator-only. Before saving, the next occurrences as the core expands them.
 */
import { Button, Checkbox, Field, Input, Select, Text } from '@fluentui/react-components';
import * as React from 'react';
import { suggestEnd } from '../../../core/activity';
import { FORWARD_KEY } from '../../../core/catalog';
import { ValidationError } from '../../../core/errors';
import { expandRecurringRule, type Occurrence, type RecurringRule, type Repeat, validateRecurringRule } from '../../../core/recurrence';
import { DAY_MS } from '../../../core/time';
import type { NewActivityBody } from '../../api/client';
import type { FormProps } from './ActivityForm';
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
import { fieldMessage } from './texts';
import { formatInstant, fromLocalInput, type LocalInput, toLocalInput, tryCore } from '../time';

/** How many occurrences the form shows before saving. */
export const PREVIEW_COUNT = 5;

type RepeatChoice = 'everyWorkingDay' | 'everyDay' | 'w1' | 'w2' | 'w3' | 'w4' | 'w5' | 'w6';

function repeatOf(c: RepeatChoice): Repeat {
  if (c === 'everyWorkingDay' || c === 'everyDay') return { kind: c };
  return { kind: 'weekly', weeks: Number(c.slice(1)) as 1 | 2 | 3 | 4 | 5 | 6 };
}

function repeatBody(c: RepeatChoice): 'everyWorkingDay' | 'everyDay' | { weeks: number } {
  const r = repeatOf(c);
  return r.kind === 'weekly' ? { weeks: r.weeks } : r.kind;
}

export function RecurringForm({ client, x, lang, catalog, zone, cal, profile, now, onSaved, onCancel }: FormProps) {
  const [key, setKey] = React.useState('');
  const [fwd, setFwd] = React.useState<ForwardingState>(() => defaultForwarding('', catalog, profile));
  const [start, setStart] = React.useState<LocalInput>(() => toLocalInput(Math.floor(now() / 60_000) * 60_000, zone));
  const [end, setEnd] = React.useState<LocalInput>({ date: '', time: '' });
  const [repeat, setRepeat] = React.useState<RepeatChoice>('everyWorkingDay');
  const [nextWorkingDay, setNextWorkingDay] = React.useState(false);
  const [until, setUntil] = React.useState('');
  const [untilFurtherNotice, setUntilFurtherNotice] = React.useState(true);
  const [info, setInfo] = React.useState<InfoState>({ text: '', operatorOnly: false });
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [general, setGeneral] = React.useState('');
  const [busy, setBusy] = React.useState(false);

  const startAt = fromLocalInput(start, zone);
  const endAt = fromLocalInput(end, zone);
  React.useEffect(() => {
    const code = catalog.find(key) ?? null;
    if (!cal || startAt === null || !code) return;
    const e = tryCore(() => suggestEnd(code, startAt, cal));
    if (e !== null) setEnd(toLocalInput(e, zone));
  }, [key, startAt, cal, catalog, zone]);

  const rule: RecurringRule | null =
    startAt === null || (!nextWorkingDay && endAt === null)
      ? null
      : {
          firstStart: startAt,
          firstEnd: nextWorkingDay ? startAt : (endAt as number),
          repeat: repeatOf(repeat),
          until: untilFurtherNotice || until === '' ? null : until,
          endsNextWorkingDay: nextWorkingDay,
        };

  // The core's own check of the rule: the first end after its start, the end date not before it.
  const ruleErrors = (): FieldErrors => {
    const e: FieldErrors = {};
    if (startAt === null) e.from = x.errFrom;
    if (!nextWorkingDay && endAt === null) e.to = x.errFirstEnds;
    if (!untilFurtherNotice && until === '') e.until = x.errUntilDate;
    if (rule) {
      try {
        validateRecurringRule(rule, 'rule', zone);
      } catch (err) {
        const m = err instanceof ValidationError ? fieldMessage(err.field, x, true) : null;
        if (m) e[m.input] = m.message;
      }
    }
    return e;
  };

  // The rule is rebuilt on every render: its JSON is what the preview depends on.
  const ruleJson = rule ? JSON.stringify(rule) : null;
  const occurrences: Occurrence[] | null = React.useMemo(() => {
    if (ruleJson === null || !cal) return null;
    const r = JSON.parse(ruleJson) as RecurringRule;
    // Enough days for PREVIEW_COUNT occurrences of the sparsest rhythm (every sixth week).
    const horizon = r.firstStart + (PREVIEW_COUNT * 6 * 7 + 7) * DAY_MS;
    return tryCore(() => expandRecurringRule(r, { from: r.firstStart, to: horizon }, cal).slice(0, PREVIEW_COUNT));
  }, [ruleJson, cal]);

  const chooseKey = (k: string) => {
    setKey(k);
    setFwd(defaultForwarding(k, catalog, profile));
  };

  const save = async () => {
    const found = { ...checkCommon(key, fwd, info, x), ...ruleErrors() };
    setErrors(found);
    setGeneral('');
    if (Object.keys(found).length > 0 || !rule) return;
    const body: NewActivityBody = {
      key,
      ...forwardingBody(fwd, profile !== undefined),
      from: new Date(rule.firstStart).toISOString(),
      ...(nextWorkingDay ? {} : { to: new Date(rule.firstEnd).toISOString() }),
      ...(info.text.trim() ? { text: info.text.trim() } : {}),
      operatorOnly: info.operatorOnly,
      recurrence: { repeat: repeatBody(repeat), until: rule.until, endsNextWorkingDay: nextWorkingDay },
    };
    setBusy(true);
    try {
      await client.createActivity(body);
      onSaved();
    } catch (err) {
      const r = explainError(err, x, true);
      setErrors(r.errors);
      setGeneral(r.general);
    } finally {
      setBusy(false);
    }
  };

  const repeatLabel = (c: RepeatChoice) => (c === 'everyWorkingDay' ? x.everyWorkingDay : c === 'everyDay' ? x.everyDay : (x.weeks[Number(c.slice(1)) - 1] ?? c));
  const choices: RepeatChoice[] = ['everyWorkingDay', 'everyDay', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
  return (
    <form
      data-testid="recurring-new"
      aria-label={x.newRecurring}
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
      <DateTime label={x.firstStarts} value={start} onChange={setStart} x={x} error={errors.from} />
      <DateTime label={x.firstEnds} value={end} onChange={setEnd} x={x} disabled={nextWorkingDay} error={errors.to} />
      <Checkbox label={x.nextWorkingDay} checked={nextWorkingDay} onChange={(_e, d) => setNextWorkingDay(!!d.checked)} />
      <Field label={x.recurs} validationMessage={errors.repeat}>
        <Select value={repeat} onChange={(_e, d) => setRepeat(d.value as RepeatChoice)}>
          {choices.map((c) => (
            <option key={c} value={c}>
              {repeatLabel(c)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={x.recurringEnds} validationMessage={errors.until}>
        <Input type="date" value={until} disabled={untilFurtherNotice} onChange={(_e, d) => setUntil(d.value)} />
      </Field>
      <Checkbox label={x.untilFurtherNotice} checked={untilFurtherNotice} onChange={(_e, d) => setUntilFurtherNotice(!!d.checked)} />
      <InfoFields value={info} onChange={setInfo} x={x} error={errors.text} />
      <section aria-label={x.upcoming}>
        <Text weight="semibold">{x.upcoming}</Text>
        {occurrences && occurrences.length > 0 ? (
          <ol data-testid="recurring-preview" className="kk-list">
            {occurrences.map((o) => (
              <li key={o.start}>
                {formatInstant(o.start, zone, lang, true)} – {formatInstant(o.end, zone, lang, true)}
              </li>
            ))}
          </ol>
        ) : (
          <Text as="p">{x.noOccurrences}</Text>
        )}
      </section>
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
