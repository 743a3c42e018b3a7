/**
 * The inputs both forms share (guide 3.3.1 and 3.3.2): Aktivitet, Vidarebefordra till (with the
 * number for Till nummer), a date-and-time pair, Information and "Visa bara informationen för
 * telefonister"; and turning a refused save into messages next to the inputs.
 */
import { Checkbox, Field, Input, Select } from '@fluentui/react-components';
import * as React from 'react';
import { type Catalog, FORWARD_KEY, FORWARD_LABEL, type Lang } from '../../../core/catalog';
import { ValidationError } from '../../../core/errors';
import { type ContactProfile, DEFAULT_PROFILE, type ForwardingMode, normalisePhoneNumber } from '../../../core/settings';
import { EndpointError, EndpointFieldError } from '../../api/client';
import type { LocalInput } from '../time';
import { type ActivityTexts, fieldMessage, type FormField } from './texts';

export type FieldErrors = Partial<Record<FormField, string>>;

export const TEXT_MAX = 200;

export { activityLabel } from '../../../core/catalog';

export function ActivityPicker(props: { value: string; onChange: (key: string) => void; catalog: Catalog; lang: Lang; x: ActivityTexts; error?: string }) {
  const { value, onChange, catalog, lang, x, error } = props;
  return (
    <Field label={x.activity} validationMessage={error} required>
      <Select value={value} onChange={(_e, d) => onChange(d.value)}>
        <option value="">{x.chooseActivity}</option>
        {catalog.enabledCodes().map((c) => (
          <option key={c.key} value={c.key}>
            {c.label[lang]}
          </option>
        ))}
        <option value={FORWARD_KEY}>{FORWARD_LABEL[lang]}</option>
      </Select>
    </Field>
  );
}

export interface ForwardingState {
  mode: ForwardingMode;
  number: string;
  /** The user chose it (rather than the profile's default). */
  touched: boolean;
}

/** The contact profile's forwarding for the activity's group (Kontaktprofiler), as the form's default. */
export function defaultForwarding(key: string, catalog: Catalog, profile: ContactProfile | undefined): ForwardingState {
  const group = key === FORWARD_KEY ? 'forward' : (catalog.find(key)?.group ?? null);
  const f = group ? (profile ?? DEFAULT_PROFILE)[group] : { mode: 'spoken' as const, number: null };
  return { mode: key === FORWARD_KEY ? 'number' : f.mode, number: f.number ?? '', touched: false };
}

export function ForwardingFields(props: { value: ForwardingState; onChange: (f: ForwardingState) => void; forward: boolean; x: ActivityTexts; errors: FieldErrors }) {
  const { value, onChange, forward, x, errors } = props;
  return (
    <>
      <Field label={x.forwardTo} validationMessage={errors.forwarding}>
        <Select value={value.mode} onChange={(_e, d) => onChange({ ...value, mode: d.value as ForwardingMode, touched: true })}>
          <option value="none" disabled={forward}>
            {x.none}
          </option>
          <option value="spoken" disabled={forward}>
            {x.spoken}
          </option>
          <option value="number">{x.number}</option>
        </Select>
      </Field>
      {value.mode === 'number' && (
        <Field label={x.numberInput} validationMessage={errors.number} required>
          <Input type="tel" value={value.number} maxLength={40} onChange={(_e, d) => onChange({ ...value, number: d.value, touched: true })} />
        </Field>
      )}
    </>
  );
}

/** A date input (named by `label`) and a time input beside it, the message under both. */
export function DateTime(props: { label: string; value: LocalInput; onChange: (v: LocalInput) => void; x: ActivityTexts; disabled?: boolean; error?: string }) {
  const { label, value, onChange, x, disabled, error } = props;
  return (
    <Field label={label} validationMessage={error}>
      {(fieldProps) => (
        <div style={{ display: 'flex', gap: 6 }}>
          <Input {...fieldProps} type="date" value={value.date} disabled={disabled} onChange={(_e, d) => onChange({ ...value, date: d.value })} />
          <Input
            type="time"
            aria-label={`${label}, ${x.clock}`}
            aria-describedby={fieldProps['aria-describedby']}
            aria-invalid={fieldProps['aria-invalid']}
            value={value.time}
            disabled={disabled}
            onChange={(_e, d) => onChange({ ...value, time: d.value })}
          />
        </div>
      )}
    </Field>
  );
}

export interface InfoState {
  text: string;
  operatorOnly: boolean;
}

export function InfoFields(props: { value: InfoState; onChange: (v: InfoState) => void; x: ActivityTexts; error?: string }) {
  const { value, onChange, x, error } = props;
  return (
    <>
      <Field label={x.information} validationMessage={error} hint={`${value.text.length}/${TEXT_MAX}`}>
        <Input value={value.text} maxLength={TEXT_MAX} onChange={(_e, d) => onChange({ ...value, text: d.value })} />
      </Field>
      <Checkbox label={x.operatorOnly} checked={value.operatorOnly} onChange={(_e, d) => onChange({ ...value, operatorOnly: !!d.checked })} />
    </>
  );
}

/**
 * What the pane checks itself before sending, with the core's rules: an activity chosen, a
 * number the switch can dial for Till nummer, an information text within 200 characters.
 */
export function checkCommon(key: string, fwd: ForwardingState, info: InfoState, x: ActivityTexts): FieldErrors {
  const errors: FieldErrors = {};
  if (key === '') errors.key = x.errKey;
  if (fwd.mode === 'number') {
    try {
      normalisePhoneNumber(fwd.number, 'forwarding.number');
    } catch {
      errors.number = x.errForwardingNumber;
    }
  }
  if (info.text.trim().length > TEXT_MAX) errors.text = x.errText;
  return errors;
}

/** The body's forwarding: sent when the user chose it or the pane knows the profile; otherwise the endpoint applies the profile. */
export function forwardingBody(fwd: ForwardingState, profileKnown: boolean): { forwarding?: { mode: ForwardingMode; number?: string } } {
  if (!fwd.touched && !profileKnown) return {};
  return { forwarding: fwd.mode === 'number' ? { mode: 'number', number: fwd.number.trim() } : { mode: fwd.mode } };
}

/** A refused save (from the endpoint or the core) → messages next to inputs, or one general message. */
export function explainError(e: unknown, x: ActivityTexts, recurring: boolean): { errors: FieldErrors; general: string } {
  const field = e instanceof EndpointFieldError || e instanceof ValidationError ? e.field : null;
  const mapped = field ? fieldMessage(field, x, recurring) : null;
  if (mapped) return { errors: { [mapped.input]: mapped.message }, general: '' };
  if (e instanceof EndpointError && e.kind === 'notConnected') return { errors: {}, general: x.errNotConnected };
  if (e instanceof EndpointError && e.kind === 'notSignedIn') return { errors: {}, general: x.errNotSignedIn };
  return { errors: {}, general: x.errOther };
}

/** The status line under a form: a general message, read out when it changes. */
export function FormStatus({ text }: { text: string }) {
  return text ? (
    <div role="alert" style={{ color: '#a4262c' }}>
      {text}
    </div>
  ) : null;
}
