/** Lägg till kod: key, MEX 0–9, labels, group and standard length, checked before it joins the draft. */
import { Button, Field, Input, Select, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { fill } from '../../format';
import { useStyles } from '../../ui/styles';
import { GroupOptions, LengthInput } from './CodesTable';
import { type CodeDraft, checkCode, codeInput, type CodeProp, type Errors } from './model';
import { ORG_TEXTS } from './texts';

const EMPTY: CodeDraft = {
  key: '',
  prefix: '',
  builtIn: false,
  added: true,
  mex: '',
  labelSv: '',
  labelEn: '',
  group: '',
  lengthKind: 'minutes',
  minutes: '60',
  enabled: true,
};

export function NewCode({ lang, codes, onAdd }: { lang: Lang; codes: readonly CodeDraft[]; onAdd(code: CodeDraft): void }) {
  const x = ORG_TEXTS[lang];
  const s = useStyles();
  const [d, setD] = React.useState<CodeDraft>(EMPTY);
  const [errors, setErrors] = React.useState<Errors>({});
  const [status, setStatus] = React.useState('');
  const titleId = React.useId();
  const set = (patch: Partial<CodeDraft>) => setD((c) => ({ ...c, ...patch }));
  const err = (p: CodeProp) => errors[codeInput(d.key.trim(), p)];
  const at = (p: CodeProp) => ({ validationMessage: err(p), validationState: err(p) ? ('error' as const) : ('none' as const) });

  const add = () => {
    const code = { ...d, key: d.key.trim(), mex: d.mex.trim(), prefix: `NP/${d.key.trim()}:` };
    const found = checkCode(code, x, [...codes, code]);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setStatus('');
      return;
    }
    onAdd(code);
    setStatus(fill(x.added, { key: code.key }));
    setD(EMPTY);
  };

  return (
    <section aria-labelledby={titleId} className={s.panel}>
      <h3 id={titleId}>{x.addTitle}</h3>
      <div className={s.toolbar}>
        <Field label={x.addKey} {...at('key')}>
          <Input className={s.narrow} value={d.key} onChange={(_e, v) => set({ key: v.value })} />
        </Field>
        <Field label={x.addMex} {...at('mex')}>
          <Input className={s.narrow} value={d.mex} inputMode="numeric" onChange={(_e, v) => set({ mex: v.value })} />
        </Field>
        <Field label={x.colLabelSv} {...at('labelSv')}>
          <Input value={d.labelSv} onChange={(_e, v) => set({ labelSv: v.value })} />
        </Field>
        <Field label={x.colLabelEn} {...at('labelEn')}>
          <Input value={d.labelEn} onChange={(_e, v) => set({ labelEn: v.value })} />
        </Field>
        <Field label={x.colGroup} {...at('group')}>
          <Select value={d.group} onChange={(_e, v) => set({ group: v.value })}>
            <GroupOptions lang={lang} current={d.group} />
          </Select>
        </Field>
        <div>
          <Text as="p">{x.colLength}</Text>
          <LengthInput
            x={x}
            name={x.addTitle}
            kind={d.lengthKind}
            minutes={d.minutes}
            error={err('standardLength')}
            onKind={(lengthKind) => set({ lengthKind })}
            onMinutes={(minutes) => set({ minutes })}
          />
        </div>
        <Button onClick={add}>{x.addButton}</Button>
      </div>
      <Text role="status">{status}</Text>
    </section>
  );
}
