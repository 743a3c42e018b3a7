/**
 * Import: a CSV file (or pasted text) → Provkör (POST /admin/users/import, dryRun) → the summary
 * and the rows → Verkställ (the same, dryRun false: all non-error rows in one transaction).
 * Verkställ is offered only for the text that was dry-run.
 */
import { Button, Field, Text, Textarea } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { AdminError, type AdminClient } from '../../api';
import { errorText, fill, formatCount, normalizeField } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { ImportResult } from '../../types';
import { useStyles } from '../../ui/styles';
import { ImportResultView } from './ImportResult';
import { IMPORT_TEXTS, type ImportTexts } from './texts';

export interface ImportPageProps {
  client: AdminClient;
  lang: Lang;
}

type Busy = 'reading' | 'dryRun' | 'apply' | null;

function readFile(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result ?? ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsText(file, 'utf-8');
  });
}

/** Data rows as the admin counts them: the non-empty lines after the header. */
const lines = (text: string) => Math.max(0, (text ? text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '').length : 0) - 1);

function failure(e: unknown, x: ImportTexts, lang: Lang): string {
  if (e instanceof AdminError && e.status === 400 && normalizeField(e.field) === 'csv') return x.csvInvalid;
  if (e instanceof AdminError && e.status === 413) return x.tooLarge;
  return errorText(e, COMMON_TEXTS[lang]);
}

function Help({ x }: { x: ImportTexts }) {
  const s = useStyles();
  return (
    <details>
      <summary>{x.helpTitle}</summary>
      <Text as="p">{x.helpIntro}</Text>
      <ul>
        <li>{x.helpUser}</li>
        <li>{x.helpExtension}</li>
        <li>{x.helpShared}</li>
        <li>{x.helpName}</li>
      </ul>
      <Text as="p" weight="semibold">
        {x.helpExample}
      </Text>
      <pre className={s.code}>{'user;extension;shared;displayName\nanna.andersson@kommun.se;1021;nej;Anna Andersson\nvaxel@kommun.se;1000;ja;Växeln'}</pre>
    </details>
  );
}

export function ImportPage({ client, lang }: ImportPageProps) {
  const x = IMPORT_TEXTS[lang];
  const s = useStyles();
  const [csv, setCsv] = React.useState('');
  const [busy, setBusy] = React.useState<Busy>(null);
  const [status, setStatus] = React.useState('');
  const [result, setResult] = React.useState<ImportResult | null>(null);
  /** The text the shown dry run was made of: Verkställ applies exactly that. */
  const [triedCsv, setTriedCsv] = React.useState<string | null>(null);
  const fileId = React.useId();

  const onFile = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setBusy('reading');
    setStatus(x.reading);
    setResult(null);
    try {
      const text = await readFile(file);
      setCsv(text);
      setStatus(fill(x.fileRead, { name: file.name, n: formatCount(lines(text), lang) }));
    } catch {
      setStatus(x.readFailed);
    } finally {
      setBusy(null);
    }
  };

  const run = async (dryRun: boolean) => {
    if (!csv.trim()) {
      setStatus(x.empty);
      return;
    }
    if (!dryRun && triedCsv !== csv) {
      setStatus(x.changedSince);
      return;
    }
    setBusy(dryRun ? 'dryRun' : 'apply');
    setStatus(dryRun ? x.dryRunning : x.applying);
    try {
      const r = await client.importUsers(csv, dryRun);
      setResult(r);
      setTriedCsv(dryRun ? csv : null);
      if (dryRun) setStatus(r.summary.new + r.summary.changed > 0 ? x.dryRunDone : x.nothingToApply);
      else setStatus(r.applied ? fill(x.applied, { new: formatCount(r.summary.new, lang), changed: formatCount(r.summary.changed, lang), error: formatCount(r.summary.error, lang) }) : x.notApplied);
    } catch (err) {
      setStatus(failure(err, x, lang));
    } finally {
      setBusy(null);
    }
  };

  const canApply = result !== null && result.dryRun && triedCsv === csv && result.summary.new + result.summary.changed > 0 && busy === null;
  return (
    <section aria-label={COMMON_TEXTS[lang].tabImport} className={s.page}>
      <div className={s.form}>
        <label htmlFor={fileId}>{x.fileLabel}</label>
        <input id={fileId} data-testid="import-file" type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} disabled={busy !== null} />
        <Field label={x.textLabel}>
          <Textarea
            data-testid="import-text"
            value={csv}
            rows={8}
            resize="vertical"
            onChange={(_e, d) => {
              setCsv(d.value);
              if (result?.dryRun) setResult(null);
            }}
          />
        </Field>
        <div className={s.actions}>
          <Button appearance="primary" disabled={busy !== null} onClick={() => void run(true)}>
            {x.dryRun}
          </Button>
          <Button disabled={!canApply} onClick={() => void run(false)}>
            {x.apply}
          </Button>
        </div>
      </div>
      <Text role="status">{status}</Text>
      {result && <ImportResultView key={`${result.dryRun}`} result={result} lang={lang} />}
      <Help x={x} />
    </section>
  );
}
