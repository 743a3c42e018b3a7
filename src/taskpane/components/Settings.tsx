/** Tab "Inställningar": Kalender and Kontaktprofiler as in the CMG-Web guide; saved to the endpoint. */
import { Button, Checkbox, Field, Input, Select, Text } from '@fluentui/react-components';
import * as React from 'react';
import { type Catalog, type Lang, PROFILE_GROUP_LABELS, PROFILE_GROUPS } from '../../core/catalog';
import type { CalendarSettings, ContactProfile, ForwardingMode } from '../../core/settings';
import type { EndpointClient } from '../api/client';
import { fill, type Texts } from '../i18n';

export interface SettingsProps {
  client: EndpointClient | null;
  t: Texts;
  lang: Lang;
  catalog: Catalog;
  settings: CalendarSettings;
  profile: ContactProfile;
  onSettings: (s: CalendarSettings) => void;
  onProfile: (p: ContactProfile) => void;
  focus: string | null;
}

export function Settings({ client, t, lang, catalog, settings, profile, onSettings, onProfile, focus }: SettingsProps) {
  const [s, setS] = React.useState(settings);
  const [p, setP] = React.useState(profile);
  const [status, setStatus] = React.useState('');
  const focusRef = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => setS(settings), [settings]);
  React.useEffect(() => setP(profile), [profile]);
  React.useEffect(() => {
    if (focus) focusRef.current?.focus();
  }, [focus]);
  const refFor = (setting: string) => (focus === setting ? focusRef : undefined);
  const save = async () => {
    onSettings(s);
    onProfile(p);
    if (!client) {
      setStatus(t.notConnectedTab);
      return;
    }
    try {
      onSettings(await client.putSettings(s));
      onProfile(await client.putProfile(p));
      setStatus(t.saved);
    } catch (e) {
      setStatus(fill(t.statusError, { detail: (e as Error).message }));
    }
  };
  const mode = (m: ForwardingMode) => (m === 'spoken' ? t.spoken : m === 'none' ? t.none : t.number);
  return (
    <section aria-label={t.tabSettings}>
      <fieldset className="kk-fieldset">
        <legend>{t.settingsCalendar}</legend>
        <Checkbox label={t.enabled} checked={s.enabled} onChange={(_e, d) => setS({ ...s, enabled: !!d.checked })} input={{ ref: refFor('enabled') }} />
        <Field label={t.defaultCode}>
          <Select value={s.defaultCode ?? ''} onChange={(_e, d) => setS({ ...s, defaultCode: d.value === '' ? null : d.value })}>
            <option value="">–</option>
            {catalog.enabledCodes().map((c) => (
              <option key={c.key} value={c.key}>
                {c.label[lang]} ({c.prefix})
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.language}>
          <Select value={s.language} onChange={(_e, d) => setS({ ...s, language: d.value as Lang })}>
            <option value="sv">{t.swedish}</option>
            <option value="en">{t.english}</option>
          </Select>
        </Field>
        <Checkbox label={t.softSetting} checked={s.soft} onChange={(_e, d) => setS({ ...s, soft: !!d.checked })} input={{ ref: refFor('soft') }} />
        <fieldset className="kk-fieldset">
          <legend>{t.messageFieldsLegend}</legend>
          {(['subject', 'location', 'body'] as const).map((f) => (
            <Checkbox
              key={f}
              label={f === 'subject' ? t.fieldSubject : f === 'location' ? t.fieldLocation : t.fieldBody}
              checked={s.messageFields[f]}
              onChange={(_e, d) => setS({ ...s, messageFields: { ...s.messageFields, [f]: !!d.checked } })}
            />
          ))}
        </fieldset>
        <Checkbox label={t.includeFree} checked={s.include.free} onChange={(_e, d) => setS({ ...s, include: { ...s.include, free: !!d.checked } })} input={{ ref: refFor('include.free') }} />
        <Checkbox label={t.includePrivate} checked={s.include.private} onChange={(_e, d) => setS({ ...s, include: { ...s.include, private: !!d.checked } })} input={{ ref: refFor('include.private') }} />
        <Checkbox label={t.includeTentative} checked={s.include.tentative} onChange={(_e, d) => setS({ ...s, include: { ...s.include, tentative: !!d.checked } })} input={{ ref: refFor('include.tentative') }} />
      </fieldset>
      <fieldset className="kk-fieldset">
        <legend>{t.settingsProfiles}</legend>
        {PROFILE_GROUPS.map((g) => (
          <div key={g} className="kk-profile-row">
            <Field label={PROFILE_GROUP_LABELS[g][lang]}>
              <Select value={p[g].mode} onChange={(_e, d) => setP({ ...p, [g]: { mode: d.value as ForwardingMode, number: d.value === 'number' ? p[g].number : null } })}>
                {(['spoken', 'none', 'number'] as const).map((m) => (
                  <option key={m} value={m}>
                    {mode(m)}
                  </option>
                ))}
              </Select>
            </Field>
            {p[g].mode === 'number' && (
              <Field label={fill(t.phoneNumber, { group: PROFILE_GROUP_LABELS[g][lang] })}>
                <Input type="tel" value={p[g].number ?? ''} onChange={(_e, d) => setP({ ...p, [g]: { mode: 'number', number: d.value || null } })} />
              </Field>
            )}
          </div>
        ))}
      </fieldset>
      <Button appearance="primary" onClick={() => void save()}>
        {t.save}
      </Button>
      <Text role="status">{status}</Text>
    </section>
  );
}
