/**
 * Tab "Inställningar": Kalender and Kontaktprofiler as in the CMG-Web guide, saved to the
 * endpoint in one request (PUT /api/v1/me/preferences): all or nothing. A refused save says
 * "Kunde inte spara" next to the input the endpoint names (`field`), in the pane's language.
 */
import { Button, Checkbox, Field, Input, Select, Text } from '@fluentui/react-components';
import * as React from 'react';
import { type Catalog, type Lang, PROFILE_GROUP_LABELS, PROFILE_GROUPS, type ProfileGroup } from '../../core/catalog';
import type { CalendarSettings, ContactProfile, ForwardingMode } from '../../core/settings';
import { type EndpointClient, EndpointError, EndpointFieldError } from '../api/client';
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

/** The control a field from the endpoint belongs to: "settings.include.free", "profile.lunch.number" … ("save" when none fits). */
export function slotOf(field: string | null, profile: ContactProfile): string {
  if (!field) return 'save';
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (parts[0] === 'profile') {
    const g = parts[1] as ProfileGroup | undefined;
    if (!g || !(PROFILE_GROUPS as readonly string[]).includes(g)) return 'save';
    return parts[2] === 'number' && profile[g].mode === 'number' ? `profile.${g}.number` : `profile.${g}.mode`;
  }
  if (parts[0] === 'settings') {
    const name = parts[1];
    if (name === 'messageFields' || name === 'include') return parts[2] ? `settings.${name}.${parts[2]}` : `settings.${name}`;
    if (name && ['enabled', 'defaultCode', 'language', 'soft'].includes(name)) return `settings.${name}`;
  }
  return 'save';
}

export function Settings({ client, t, lang, catalog, settings, profile, onSettings, onProfile, focus }: SettingsProps) {
  const [s, setS] = React.useState(settings);
  const [p, setP] = React.useState(profile);
  const [status, setStatus] = React.useState('');
  const [bad, setBad] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const focusRef = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => setS(settings), [settings]);
  React.useEffect(() => setP(profile), [profile]);
  React.useEffect(() => {
    if (focus) focusRef.current?.focus();
  }, [focus]);
  const refFor = (setting: string) => (focus === setting ? focusRef : undefined);
  /** The error next to one control: only the control the endpoint named. */
  const err = (slot: string) => (bad === slot ? t.saveFailed : undefined);
  const save = async () => {
    setBad(null);
    if (!client) {
      // Without the endpoint the choices still drive this pane's preview.
      onSettings(s);
      onProfile(p);
      setStatus(t.notConnectedTab);
      return;
    }
    setBusy(true);
    setStatus('');
    try {
      const res = await client.putPreferences({ settings: s, profile: p });
      onSettings(res.settings);
      onProfile(res.profile);
      setStatus(t.saved);
    } catch (e) {
      // Nothing was stored. The endpoint's own detail is English and technical: the pane says it in its words.
      const slot = e instanceof EndpointFieldError ? slotOf(e.field, p) : 'save';
      setBad(slot);
      const kind = e instanceof EndpointError ? e.kind : null;
      setStatus(kind === 'notConnected' || kind === 'notSignedIn' ? `${t.saveFailed}: ${t.notConnectedTab}` : slot === 'save' ? t.saveFailed : t.saveFailedField);
    } finally {
      setBusy(false);
    }
  };
  const mode = (m: ForwardingMode) => (m === 'spoken' ? t.spoken : m === 'none' ? t.none : t.number);
  const check = (slot: string, label: string, checked: boolean, onChange: (v: boolean) => void, ref?: React.Ref<HTMLInputElement>) => (
    <Field key={slot} validationMessage={err(slot)}>
      <Checkbox label={label} checked={checked} onChange={(_e, d) => onChange(!!d.checked)} input={{ ref }} />
    </Field>
  );
  return (
    <section aria-label={t.tabSettings}>
      <fieldset className="kk-fieldset">
        <legend>{t.settingsCalendar}</legend>
        {check('settings.enabled', t.enabled, s.enabled, (v) => setS({ ...s, enabled: v }), refFor('enabled'))}
        <Field label={t.defaultCode} validationMessage={err('settings.defaultCode')}>
          <Select value={s.defaultCode ?? ''} onChange={(_e, d) => setS({ ...s, defaultCode: d.value === '' ? null : d.value })}>
            <option value="">–</option>
            {catalog.enabledCodes().map((c) => (
              <option key={c.key} value={c.key}>
                {c.label[lang]} ({c.prefix})
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.language} hint={t.languageHint} validationMessage={err('settings.language')}>
          <Select value={s.language} onChange={(_e, d) => setS({ ...s, language: d.value as Lang })}>
            <option value="sv">{t.swedish}</option>
            <option value="en">{t.english}</option>
          </Select>
        </Field>
        {check('settings.soft', t.softSetting, s.soft, (v) => setS({ ...s, soft: v }), refFor('soft'))}
        <fieldset className="kk-fieldset">
          <legend>{t.messageFieldsLegend}</legend>
          {(['subject', 'location', 'body'] as const).map((f) =>
            check(`settings.messageFields.${f}`, f === 'subject' ? t.fieldSubject : f === 'location' ? t.fieldLocation : t.fieldBody, s.messageFields[f], (v) =>
              setS({ ...s, messageFields: { ...s.messageFields, [f]: v } }),
            ),
          )}
        </fieldset>
        {check('settings.include.free', t.includeFree, s.include.free, (v) => setS({ ...s, include: { ...s.include, free: v } }), refFor('include.free'))}
        {check('settings.include.private', t.includePrivate, s.include.private, (v) => setS({ ...s, include: { ...s.include, private: v } }), refFor('include.private'))}
        {check('settings.include.tentative', t.includeTentative, s.include.tentative, (v) => setS({ ...s, include: { ...s.include, tentative: v } }), refFor('include.tentative'))}
      </fieldset>
      <fieldset className="kk-fieldset">
        <legend>{t.settingsProfiles}</legend>
        {PROFILE_GROUPS.map((g) => (
          <div key={g} className="kk-profile-row">
            <Field label={PROFILE_GROUP_LABELS[g][lang]} validationMessage={err(`profile.${g}.mode`)}>
              <Select value={p[g].mode} onChange={(_e, d) => setP({ ...p, [g]: { mode: d.value as ForwardingMode, number: d.value === 'number' ? p[g].number : null } })}>
                {(['spoken', 'none', 'number'] as const).map((m) => (
                  <option key={m} value={m}>
                    {mode(m)}
                  </option>
                ))}
              </Select>
            </Field>
            {p[g].mode === 'number' && (
              <Field label={fill(t.phoneNumber, { group: PROFILE_GROUP_LABELS[g][lang] })} validationMessage={err(`profile.${g}.number`)}>
                <Input type="tel" value={p[g].number ?? ''} onChange={(_e, d) => setP({ ...p, [g]: { mode: 'number', number: d.value || null } })} />
              </Field>
            )}
          </div>
        ))}
      </fieldset>
      <Button appearance="primary" onClick={() => void save()} disabled={busy}>
        {t.save}
      </Button>
      <Text role="status" data-testid="settings-status">
        {status}
      </Text>
    </section>
  );
}
