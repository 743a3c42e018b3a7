/**
 * The preview tab: code picker, what will happen (MEX code, label, forwarding, what a caller
 * hears, what colleagues see, message text, time window), every reason it will not divert with
 * its fix, and "Spara och synka"; above them Bokningar som inte hänvisar (Problems). Receives
 * everything as props; no Office.js here.
 */
import { Button, Field, MessageBar, MessageBarBody, Select, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../core/catalog';
import type { Fix } from '../../core/messages';
import type { EndpointClient } from '../api/client';
import type { Texts } from '../i18n';
import type { PreviewModel, PreviewNote } from '../preview';
import type { Pane } from '../usePane';
import { Problems } from './Problems';
import { SyncStatusLine } from './SyncStatus';

export interface PreviewProps {
  pane: Pane;
  t: Texts;
  lang: Lang;
  onOpenSettings: (setting: string) => void;
  /** The endpoint client once connected (Bokningar som inte hänvisar); null or absent: not shown. */
  client?: EndpointClient | null;
  /** The port's openItem (Öppna on those bookings); absent: no Öppna. */
  openItem?: (bookingId: string) => Promise<void>;
}

function formatWindow(from: number, to: number, lang: Lang, zone: string): string {
  const f = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `${f.format(from)} – ${f.format(to)}`;
}

export function forwardingText(p: PreviewModel, t: Texts): string {
  if (!p.forwardingMode) return '–';
  if (p.forwardingMode === 'number') return `${t.number} ${p.forwardingNumber ?? ''}`.trim();
  return p.forwardingMode === 'spoken' ? t.spoken : t.none;
}

function Row({ label, testId, lang, children }: { label: string; testId: string; lang?: Lang; children: React.ReactNode }) {
  return (
    <div className="kk-row">
      <dt>{label}</dt>
      {/* lang: what callers hear may be in another language than the pane (screen readers). */}
      <dd data-testid={testId} lang={lang === undefined ? undefined : lang === 'sv' ? 'sv-SE' : 'en-GB'}>
        {children}
      </dd>
    </div>
  );
}

/** One reason or warning, with its own fix right under its text (never on another note). */
function Note({ note, t, onFix, intent }: { note: PreviewNote; t: Texts; onFix: (f: Fix) => void; intent: 'warning' | 'error' }) {
  const fix = note.fix;
  return (
    <MessageBar intent={intent} layout="multiline" className="kk-note" data-testid={intent === 'error' ? 'preview-reason' : 'preview-warning'}>
      <MessageBarBody>
        <span className="kk-note-text">{note.text}</span>
        {fix && (
          <span className="kk-fix">
            <Button size="small" appearance="secondary" onClick={() => onFix(fix)} data-testid="preview-fix">
              {fix.kind === 'applySubject' ? `${t.applyFix}: ${fix.subject.length > 40 ? `${fix.subject.slice(0, 39)}…` : fix.subject}` : t.openSettings}
            </Button>
          </span>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Preview({ pane, t, lang, onOpenSettings, client = null, openItem }: PreviewProps) {
  const { preview: p, item, ctx } = pane;
  const selectId = React.useId();
  if (!p || !item) return <Text>{t.loading}</Text>;
  const onFix = (f: Fix) => (f.kind === 'applySubject' ? void pane.applySubject(f.subject) : onOpenSettings(f.setting));
  const codes = ctx.catalog.enabledCodes();
  const organizer = item.mode === 'organizer';
  return (
    <section aria-labelledby={`${selectId}-h`}>
      <h2 id={`${selectId}-h`} className="kk-visually-hidden">
        {t.tabPreview}
      </h2>
      <Problems client={client} openItem={openItem} t={t} lang={lang} zone={ctx.timeZone} reload={pane.synced} />
      <Field label={t.codePicker} hint={organizer ? undefined : t.readOnly}>
        <Select
          id={selectId}
          data-testid="code-picker"
          value={p.subjectKey ?? ''}
          disabled={!organizer}
          onChange={(_e, d) => void pane.pickCode(d.value === '' ? null : d.value)}
        >
          <option value="">{t.noCode}</option>
          {codes.map((c) => (
            <option key={c.key} value={c.key}>
              {`${c.mex} – ${c.label[lang]} (${c.prefix})`}
            </option>
          ))}
        </Select>
      </Field>
      {pane.editError && (
        <MessageBar intent="error">
          <MessageBarBody>{pane.editError}</MessageBarBody>
        </MessageBar>
      )}
      <Text as="p" weight="semibold" data-testid="preview-summary">
        {p.diverts ? t.diverts : t.notDiverts}
      </Text>
      {p.reasons.map((n) => (
        <Note key={n.id} note={n} t={t} onFix={onFix} intent="error" />
      ))}
      {p.warnings.map((n) => (
        <Note key={n.id} note={n} t={t} onFix={onFix} intent="warning" />
      ))}
      <dl className="kk-preview">
        <Row label={t.mex} testId="preview-mex">
          {p.code ? String(p.code.mex) : '–'}
        </Row>
        <Row label={t.activity} testId="preview-label">
          {p.code ? p.code.label[lang] : '–'}
        </Row>
        <Row label={t.forwarding} testId="preview-forwarding">
          {forwardingText(p, t)}
        </Row>
        <Row label={t.callerHears} testId="preview-spoken" lang={p.diverts && p.spoken ? p.spokenLang : undefined}>
          {p.diverts ? (p.spoken ?? t.phoneRings) : '–'}
        </Row>
        <Row label={t.colleaguesSee} testId="preview-colleagues">
          {p.colleagues ? `${p.colleagues.label} ${p.colleagues.returnText}${p.colleagues.text ? ` – ${p.colleagues.text}` : ''}` : '–'}
        </Row>
        <Row label={t.messageText} testId="preview-text">
          {p.diverts ? (p.text ?? t.hidden) : '–'}
        </Row>
        <Row label={t.window} testId="preview-window">
          {p.from !== null && p.to !== null ? formatWindow(p.from, p.to, lang, ctx.timeZone) : '–'}
        </Row>
      </dl>
      <Button appearance="primary" onClick={() => void pane.saveAndSync()} disabled={pane.sync.kind === 'saving'} data-testid="save-sync">
        {organizer ? t.saveAndSync : t.attendeeSync}
      </Button>
      <SyncStatusLine pane={pane} t={t} />
    </section>
  );
}
