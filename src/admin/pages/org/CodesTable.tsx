/** The codes of the catalog, each editable in its row: labels, group, standard length, enabled (MEX only for a code added now). */
import { Badge, Button, Checkbox, Field, Input, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import * as React from 'react';
import { type Lang, PROFILE_GROUP_LABELS, PROFILE_GROUPS, type ProfileGroup } from '../../../core/catalog';
import { fill } from '../../format';
import { useStyles } from '../../ui/styles';
import { type CodeDraft, codeInput, type CodeProp, type Errors } from './model';
import { ORG_TEXTS, type OrgTexts } from './texts';

/** The groups a code can be in (Vidarekoppla is manual only, never a code). */
export const CODE_GROUPS = PROFILE_GROUPS.filter((g) => g !== 'forward');

export function groupName(group: string, lang: Lang): string {
  return PROFILE_GROUP_LABELS[group as ProfileGroup]?.[lang] ?? group;
}

export function GroupOptions({ lang, current }: { lang: Lang; current: string }) {
  const groups: string[] = [...CODE_GROUPS];
  if (current && !groups.includes(current)) groups.push(current);
  return (
    <>
      {!current && <option value="">—</option>}
      {groups.map((g) => (
        <option key={g} value={g}>
          {groupName(g, lang)}
        </option>
      ))}
    </>
  );
}

export interface LengthInputProps {
  x: OrgTexts;
  kind: CodeDraft['lengthKind'];
  minutes: string;
  name: string;
  error?: string;
  onKind(kind: CodeDraft['lengthKind']): void;
  onMinutes(minutes: string): void;
}

/** Standardlängd: minutes, or Nästa arbetsdag. */
export function LengthInput({ x, kind, minutes, name, error, onKind, onMinutes }: LengthInputProps) {
  const s = useStyles();
  const state = error ? ('error' as const) : ('none' as const);
  return (
    <div className={s.actions}>
      <Field validationMessage={kind === 'nextWorkingDay' ? error : undefined} validationState={kind === 'nextWorkingDay' ? state : 'none'}>
        <Select aria-label={fill(x.inputLabel, { column: x.colLength, key: name })} value={kind} onChange={(_e, d) => onKind(d.value as CodeDraft['lengthKind'])}>
          <option value="minutes">{x.lengthMinutes}</option>
          <option value="nextWorkingDay">{x.lengthNextWorkingDay}</option>
        </Select>
      </Field>
      {kind === 'minutes' && (
        <Field validationMessage={error} validationState={state}>
          <Input className={s.narrow} type="number" min={1} max={10080} aria-label={fill(x.inputLabel, { column: x.colMinutes, key: name })} value={minutes} onChange={(_e, d) => onMinutes(d.value)} />
        </Field>
      )}
    </div>
  );
}

export interface CodesTableProps {
  codes: CodeDraft[];
  errors: Errors;
  lang: Lang;
  onChange(index: number, patch: Partial<CodeDraft>): void;
  onRemove(index: number): void;
}

export function CodesTable({ codes, errors, lang, onChange, onRemove }: CodesTableProps) {
  const x = ORG_TEXTS[lang];
  const s = useStyles();
  return (
    <div className={s.tableWrap}>
      <Table aria-label={x.codesTable} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{x.colKey}</TableHeaderCell>
            <TableHeaderCell>{x.colMex}</TableHeaderCell>
            <TableHeaderCell>{x.colLabelSv}</TableHeaderCell>
            <TableHeaderCell>{x.colLabelEn}</TableHeaderCell>
            <TableHeaderCell>{x.colGroup}</TableHeaderCell>
            <TableHeaderCell>{x.colLength}</TableHeaderCell>
            <TableHeaderCell>{x.colEnabled}</TableHeaderCell>
            <TableHeaderCell>{x.colActions}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {codes.map((c, i) => {
            const err = (p: CodeProp) => errors[codeInput(c.key, p)];
            const at = (p: CodeProp) => ({ validationMessage: err(p), validationState: err(p) ? ('error' as const) : ('none' as const) });
            const label = (column: string) => fill(x.inputLabel, { column, key: c.key });
            return (
              <TableRow key={c.key.toLowerCase()} data-testid="org-code">
                <TableCell>
                  <Field {...at('key')}>
                    <Text weight="semibold">{c.prefix}</Text>
                  </Field>
                  {c.builtIn ? (
                    <Badge appearance="outline" color="informative">
                      {x.builtIn}
                    </Badge>
                  ) : c.added ? (
                    <Badge appearance="tint" color="success">
                      {x.newCode}
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell>
                  {c.added ? (
                    <Field {...at('mex')}>
                      <Input className={s.narrow} aria-label={label(x.colMex)} value={c.mex} inputMode="numeric" onChange={(_e, d) => onChange(i, { mex: d.value })} />
                    </Field>
                  ) : (
                    <Field {...at('mex')}>
                      <Text>{c.mex}</Text>
                    </Field>
                  )}
                </TableCell>
                <TableCell>
                  <Field {...at('labelSv')}>
                    <Input aria-label={label(x.colLabelSv)} value={c.labelSv} onChange={(_e, d) => onChange(i, { labelSv: d.value })} />
                  </Field>
                </TableCell>
                <TableCell>
                  <Field {...at('labelEn')}>
                    <Input aria-label={label(x.colLabelEn)} value={c.labelEn} onChange={(_e, d) => onChange(i, { labelEn: d.value })} />
                  </Field>
                </TableCell>
                <TableCell>
                  <Field {...at('group')}>
                    <Select aria-label={label(x.colGroup)} value={c.group} onChange={(_e, d) => onChange(i, { group: d.value })}>
                      <GroupOptions lang={lang} current={c.group} />
                    </Select>
                  </Field>
                </TableCell>
                <TableCell>
                  <LengthInput
                    x={x}
                    name={c.key}
                    kind={c.lengthKind}
                    minutes={c.minutes}
                    error={err('standardLength')}
                    onKind={(lengthKind) => onChange(i, { lengthKind })}
                    onMinutes={(minutes) => onChange(i, { minutes })}
                  />
                </TableCell>
                <TableCell>
                  <Field {...at('enabled')}>
                    <Checkbox aria-label={label(x.colEnabled)} checked={c.enabled} onChange={(_e, d) => onChange(i, { enabled: d.checked === true })} />
                  </Field>
                </TableCell>
                <TableCell>
                  {!c.builtIn && (
                    <Button size="small" aria-label={fill(x.removeCodeLabel, { key: c.key })} onClick={() => onRemove(i)}>
                      {x.removeCode}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
