/**
 * The Snabbval editor (data-testid="quick-edit"): up to eight choices, created, edited, moved
 * up and down and removed; Spara PUTs the whole list. A 400's `field` is shown by that choice's
 * input in the pane's language, never the endpoint's detail.
 */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Catalog, Lang } from '../../../core/catalog';
import { type EndpointClient, EndpointFieldError, type QuickChoice } from '../../api/client';
import { type Draft, type DraftErrors, emptyDraft, fieldError, fromDraft, MAX_CHOICES, move, toDraft } from './model';
import { QuickRow } from './QuickRow';
import type { QuickTexts } from './texts';

export interface QuickEditorProps {
  client: EndpointClient;
  choices: readonly QuickChoice[];
  catalog: Catalog;
  lang: Lang;
  zone: string;
  x: QuickTexts;
  onSaved: (list: QuickChoice[]) => void;
  onCancel: () => void;
}

export function QuickEditor({ client, choices, catalog, lang, zone, x, onSaved, onCancel }: QuickEditorProps) {
  const [drafts, setDrafts] = React.useState<Draft[]>(() => choices.slice(0, MAX_CHOICES).map((q) => toDraft(q, zone)));
  const [errors, setErrors] = React.useState<Record<number, DraftErrors>>({});
  const [status, setStatus] = React.useState('');
  const [saving, setSaving] = React.useState(false);
  const [moved, setMoved] = React.useState<{ id: number; button: 'up' | 'down' } | null>(null);

  const patch = (id: number, p: Partial<Draft>) => {
    setDrafts((ds) => ds.map((d) => (d.id === id ? { ...d, ...p } : d)));
    setErrors((es) => {
      const { [id]: _gone, ...rest } = es;
      return rest;
    });
  };

  const save = async () => {
    const out: QuickChoice[] = [];
    const local: Record<number, DraftErrors> = {};
    for (const d of drafts) {
      const r = fromDraft(d, zone, x);
      if ('errors' in r) local[d.id] = r.errors;
      else out.push(r.choice);
    }
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setStatus(x.fixErrors);
      return;
    }
    setSaving(true);
    setStatus(x.saving);
    try {
      const saved = await client.putQuick(out);
      setStatus(x.saved);
      onSaved(saved);
    } catch (e) {
      const at = e instanceof EndpointFieldError ? fieldError(e.field, x) : null;
      const draft = at ? drafts[at.index] : undefined;
      if (at && draft) {
        setErrors({ [draft.id]: { [at.slot]: at.message } });
        setStatus(x.fixErrors);
      } else {
        setStatus(drafts.length > MAX_CHOICES ? x.errTooMany : x.saveFailed);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="kk-quick-edit" data-testid="quick-edit" aria-label={x.editorLabel}>
      {drafts.map((d, i) => (
        <QuickRow
          key={d.id}
          draft={d}
          index={i}
          count={drafts.length}
          errors={errors[d.id] ?? {}}
          catalog={catalog}
          lang={lang}
          x={x}
          focusButton={moved?.id === d.id ? moved.button : null}
          onChange={(p) => patch(d.id, p)}
          onMove={(to) => {
            setDrafts((ds) => move(ds, i, to));
            setMoved({ id: d.id, button: to < i ? 'up' : 'down' });
          }}
          onRemove={() => {
            setDrafts((ds) => ds.filter((o) => o.id !== d.id));
            setMoved(null);
          }}
        />
      ))}
      <div className="kk-quick-edit-actions">
        <Button disabledFocusable={drafts.length >= MAX_CHOICES} onClick={() => drafts.length < MAX_CHOICES && setDrafts((ds) => [...ds, emptyDraft(catalog)])}>
          {x.add}
        </Button>
        {drafts.length >= MAX_CHOICES && <Text size={200}>{x.atMost}</Text>}
      </div>
      <div className="kk-quick-edit-actions">
        <Button appearance="primary" disabled={saving} onClick={() => void save()}>
          {x.save}
        </Button>
        <Button disabled={saving} onClick={onCancel}>
          {x.cancel}
        </Button>
      </div>
      <Text role="status">{status}</Text>
    </section>
  );
}
