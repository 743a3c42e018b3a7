/** One quick choice in the editor: Aktivitet, Standardlängd (Minuter, Slutdatum), Vidarebefordra till, Information. */
import { Button, Field, Input, Select } from '@fluentui/react-components';
import * as React from 'react';
import { type Catalog, FORWARD_KEY, type Lang } from '../../../core/catalog';
import { fill } from '../../i18n';
import { activityLabel, type Draft, type DraftErrors, type FwdKind, type LengthKind } from './model';
import type { QuickTexts } from './texts';

export interface QuickRowProps {
  draft: Draft;
  index: number;
  count: number;
  errors: DraftErrors;
  catalog: Catalog;
  lang: Lang;
  x: QuickTexts;
  onChange: (patch: Partial<Draft>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  /** Set when this row has just moved: the button that moved it gets focus again. */
  focusButton: 'up' | 'down' | null;
}

const err = (message: string | undefined) => (message ? { validationState: 'error' as const, validationMessage: message } : {});

export function QuickRow({ draft, index, count, errors, catalog, lang, x, onChange, onMove, onRemove, focusButton }: QuickRowProps) {
  const up = React.useRef<HTMLButtonElement>(null);
  const down = React.useRef<HTMLButtonElement>(null);
  React.useEffect(() => {
    if (focusButton === 'up') (index > 0 ? up : down).current?.focus();
    if (focusButton === 'down') (index < count - 1 ? down : up).current?.focus();
  }, [focusButton, index, count]);

  const name = fill(x.choice, { n: index + 1 });
  const codes = catalog.enabledCodes();
  const known = draft.key === FORWARD_KEY || codes.some((c) => c.key === draft.key);
  const isForward = draft.key === FORWARD_KEY;
  const fwd: FwdKind = isForward ? 'number' : draft.fwd;
  const lengthError = errors.length;
  const fwdError = errors.forwarding;
  return (
    <fieldset className="kk-quick-row">
      <legend>{name}</legend>
      {errors.choice && (
        <p className="kk-error" role="alert">
          {errors.choice}
        </p>
      )}
      <Field label={x.activity} {...err(errors.key)}>
        <Select
          value={draft.key}
          onChange={(_e, d) => onChange({ key: d.value, fwd: d.value === FORWARD_KEY ? 'number' : isForward ? 'profile' : draft.fwd })}
        >
          {!known && <option value={draft.key}>{activityLabel(draft.key, catalog, lang)}</option>}
          {codes.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label[lang]}
            </option>
          ))}
          <option value={FORWARD_KEY}>{activityLabel(FORWARD_KEY, catalog, lang)}</option>
        </Select>
      </Field>
      <Field label={x.length} {...err(draft.lengthKind === 'minutes' || draft.lengthKind === 'until' ? undefined : lengthError)}>
        <Select value={draft.lengthKind} onChange={(_e, d) => onChange({ lengthKind: d.value as LengthKind })}>
          <option value="standard">{x.lengthStandard}</option>
          <option value="minutes">{x.lengthMinutes}</option>
          <option value="untilFurtherNotice">{x.lengthUntilFurtherNotice}</option>
          <option value="nextWorkingDay">{x.lengthNextWorkingDay}</option>
          <option value="until">{x.lengthUntil}</option>
        </Select>
      </Field>
      {draft.lengthKind === 'minutes' && (
        <Field label={x.minutes} {...err(lengthError)}>
          <Input type="number" min={1} max={10080} step={1} value={draft.minutes} onChange={(_e, d) => onChange({ minutes: d.value })} />
        </Field>
      )}
      {draft.lengthKind === 'until' && (
        <Field label={x.until} {...err(lengthError)}>
          <Input type="datetime-local" value={draft.until} onChange={(_e, d) => onChange({ until: d.value })} />
        </Field>
      )}
      <Field label={x.forwarding} {...err(fwd === 'number' ? undefined : fwdError)}>
        <Select value={fwd} disabled={isForward} onChange={(_e, d) => onChange({ fwd: d.value as FwdKind })}>
          <option value="profile">{x.fwdProfile}</option>
          <option value="spoken">{x.fwdSpoken}</option>
          <option value="none">{x.fwdNone}</option>
          <option value="number">{x.fwdNumber}</option>
        </Select>
      </Field>
      {fwd === 'number' && (
        <Field label={x.number} {...err(fwdError)}>
          <Input type="tel" maxLength={40} value={draft.number} onChange={(_e, d) => onChange({ number: d.value })} />
        </Field>
      )}
      <Field label={x.information} {...err(errors.text)}>
        <Input maxLength={200} value={draft.text} onChange={(_e, d) => onChange({ text: d.value })} />
      </Field>
      <div className="kk-quick-row-actions">
        <Button size="small" ref={up} disabledFocusable={index === 0} onClick={() => index > 0 && onMove(index - 1)}>
          {x.moveUp}
        </Button>
        <Button size="small" ref={down} disabledFocusable={index === count - 1} onClick={() => index < count - 1 && onMove(index + 1)}>
          {x.moveDown}
        </Button>
        <Button size="small" onClick={onRemove}>
          {x.remove}
        </Button>
      </div>
    </fieldset>
  );
}
