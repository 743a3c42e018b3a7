/**
 * Koder och organisation: GET /admin/org and /admin/catalog into one draft; each code edited in
 * its row, codes added, the working day, extra days off and the default language; Spara → PUT
 * /admin/org with the whole document (what was not edited kept as it came). A 400's `field` is
 * put by the input it names; Förhandsgranska tries a booking against the unsaved draft.
 */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { AdminError, type AdminClient } from '../../api';
import { errorText, fill, normalizeField } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import { useStyles } from '../../ui/styles';
import { useLoad } from '../../ui/useLoad';
import { CodesTable } from './CodesTable';
import { checkDraft, docOf, draftOf, errorFor, type Errors, type OrgDraft } from './model';
import { NewCode } from './NewCode';
import { PreviewBox } from './PreviewBox';
import { ORG_TEXTS } from './texts';
import { WorkdayFields } from './WorkdayFields';

export interface OrgPageProps {
  client: AdminClient;
  lang: Lang;
}

export function OrgPage({ client, lang }: OrgPageProps) {
  const x = ORG_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const loaded = useLoad(async () => {
    const [org, catalog] = await Promise.all([client.org(), client.catalog()]);
    return { org: org.org ?? {}, codes: catalog.codes };
  }, [client]);
  const [draft, setDraft] = React.useState<OrgDraft | null>(null);
  const [errors, setErrors] = React.useState<Errors>({});
  const [status, setStatus] = React.useState('');
  const [saving, setSaving] = React.useState(false);
  /** Bumped when errors are shown, so focus moves to the first marked input. */
  const [shown, setShown] = React.useState(0);
  const editor = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (loaded.data) setDraft(draftOf(loaded.data.org, loaded.data.codes));
  }, [loaded.data]);
  React.useEffect(() => {
    if (shown) editor.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [shown]);

  const mark = (found: Errors) => {
    setErrors(found);
    if (Object.keys(found).length) setShown((n) => n + 1);
  };

  const build = () => {
    if (!draft || !loaded.data) return null;
    const found = checkDraft(draft, x);
    mark(found);
    return Object.keys(found).length ? null : docOf(loaded.data.org, loaded.data.codes, draft);
  };

  const onDraftError = (e: AdminError, keys: readonly string[]) => {
    const found = errorFor(e.field, keys, x);
    if (!found) return false;
    mark(found);
    return true;
  };

  const save = async () => {
    const built = build();
    if (!built) {
      setStatus(x.saveFailedField);
      return;
    }
    setSaving(true);
    setStatus(x.saving);
    try {
      await client.putOrg(built.doc);
      setStatus(x.saved);
      loaded.reload();
    } catch (e) {
      if (e instanceof AdminError && e.status === 400 && onDraftError(e, built.keys)) setStatus(x.saveFailedField);
      else if (e instanceof AdminError && e.status === 400) setStatus(fill(x.saveFailedOther, { field: normalizeField(e.field) ?? '—' }));
      else setStatus(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  if (!draft) {
    return (
      <section aria-label={t.tabOrg} className={s.page}>
        <Text role="status">{loaded.error ? errorText(loaded.error, t) : t.loading}</Text>
      </section>
    );
  }
  const change = (patch: Partial<OrgDraft>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  return (
    <section aria-label={t.tabOrg} className={s.page}>
      <div ref={editor} data-testid="org-editor" className={s.page}>
        <h3>{x.codesTitle}</h3>
        <CodesTable
          codes={draft.codes}
          errors={errors}
          lang={lang}
          onChange={(i, patch) => change({ codes: draft.codes.map((c, j) => (j === i ? { ...c, ...patch } : c)) })}
          onRemove={(i) => change({ codes: draft.codes.filter((_c, j) => j !== i) })}
        />
        <NewCode lang={lang} codes={draft.codes} onAdd={(code) => change({ codes: [...draft.codes, code] })} />
        <h3>{x.orgTitle}</h3>
        <WorkdayFields draft={draft} errors={errors} lang={lang} onChange={change} />
        <div className={s.actions}>
          <Button appearance="primary" disabled={saving} onClick={() => void save()}>
            {x.save}
          </Button>
          <Text role="status">{status}</Text>
        </div>
      </div>
      <PreviewBox client={client} lang={lang} draft={build} onDraftError={onDraftError} zone={draft.timeZone.trim() || 'Europe/Stockholm'} />
    </section>
  );
}
