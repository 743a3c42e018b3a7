/** The organisation's working day (time zone, start, end), its extra days off, and the users' default language. */
import { Button, Field, Input, Select, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { fill } from '../../format';
import { useStyles } from '../../ui/styles';
import type { Errors, OrgDraft } from './model';
import { ORG_TEXTS } from './texts';

export interface WorkdayFieldsProps {
  draft: OrgDraft;
  errors: Errors;
  lang: Lang;
  onChange(patch: Partial<OrgDraft>): void;
}

export function WorkdayFields({ draft, errors, lang, onChange }: WorkdayFieldsProps) {
  const x = ORG_TEXTS[lang];
  const s = useStyles();
  const [day, setDay] = React.useState('');
  const at = (id: string) => ({ validationMessage: errors[id], validationState: errors[id] ? ('error' as const) : ('none' as const) });
  const listId = React.useId();
  const addDay = () => {
    if (!day || draft.extraDaysOff.includes(day)) return;
    onChange({ extraDaysOff: [...draft.extraDaysOff, day].sort() });
    setDay('');
  };
  return (
    <div className={s.page}>
      <div className={s.toolbar}>
        <Field label={x.timeZone} hint={x.timeZoneHint} {...at('timeZone')}>
          <Input placeholder="Europe/Stockholm" value={draft.timeZone} onChange={(_e, d) => onChange({ timeZone: d.value })} />
        </Field>
        <Field label={x.workdayStart} hint={x.timeHint} {...at('workdayStart')}>
          <Input className={s.narrow} placeholder="08:00" value={draft.workdayStart} onChange={(_e, d) => onChange({ workdayStart: d.value })} />
        </Field>
        <Field label={x.workdayEnd} hint={x.timeHint} {...at('workdayEnd')}>
          <Input className={s.narrow} placeholder="17:00" value={draft.workdayEnd} onChange={(_e, d) => onChange({ workdayEnd: d.value })} />
        </Field>
        <Field label={x.language} {...at('language')}>
          <Select value={draft.language} onChange={(_e, d) => onChange({ language: d.value as OrgDraft['language'] })}>
            <option value="">{x.languageDefault}</option>
            <option value="sv">{x.swedish}</option>
            <option value="en">{x.english}</option>
          </Select>
        </Field>
      </div>
      <div className={s.form}>
        <Text as="h4" id={listId} weight="semibold">
          {x.extraDaysOff}
        </Text>
        <Text size={200}>{x.extraDaysOffHint}</Text>
        {errors.extraDaysOff && (
          <Text className={s.error} role="alert">
            {errors.extraDaysOff}
          </Text>
        )}
        {draft.extraDaysOff.length === 0 ? (
          <Text>{x.noDays}</Text>
        ) : (
          <ul aria-labelledby={listId}>
            {draft.extraDaysOff.map((d) => (
              <li key={d}>
                {d}{' '}
                <Button size="small" aria-label={fill(x.removeDayLabel, { date: d })} onClick={() => onChange({ extraDaysOff: draft.extraDaysOff.filter((v) => v !== d) })}>
                  {x.removeDay}
                </Button>
              </li>
            ))}
          </ul>
        )}
        <div className={s.toolbar}>
          <Field label={x.newDay}>
            <Input type="date" value={day} onChange={(_e, d) => setDay(d.value)} />
          </Field>
          <Button onClick={addDay} disabled={!day}>
            {x.addDay}
          </Button>
        </div>
      </div>
    </div>
  );
}
