/**
 * The list (guide 3.3.3): current and upcoming activities with their source, forwarding and
 * text; a recurring rule is one row with its rhythm, expandable to its occurrences. Ta bort asks
 * once: "Ta bort?" Ja / Avbryt, or for a rule the whole rule or only this occurrence.
 */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Catalog, Lang } from '../../../core/catalog';
import type { ActivityJson, EndpointClient } from '../../api/client';
import { activityLabel } from './fields';
import { groupRows, rhythmText } from './rhythm';
import { fill } from '../../i18n';
import type { ActivityTexts } from './texts';
import { formatInstant } from '../time';

export interface ListProps {
  client: EndpointClient;
  x: ActivityTexts;
  lang: Lang;
  catalog: Catalog;
  zone: string;
  list: readonly ActivityJson[];
  /** After a deletion (done or failed): the status line and a reload. */
  onChanged: (note: string) => void;
}

type Confirm = { kind: 'single'; id: string } | { kind: 'rule'; ruleId: string; occurrence: ActivityJson } | null;

const row: React.CSSProperties = { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 };

export function ActivityList({ client, x, lang, catalog, zone, list, onChanged }: ListProps) {
  const [confirm, setConfirm] = React.useState<Confirm>(null);
  const [open, setOpen] = React.useState<ReadonlySet<string>>(new Set());
  const at = (iso: string) => formatInstant(Date.parse(iso), zone, lang);
  const label = (key: string) => activityLabel(key, catalog, lang);
  const source = (s: ActivityJson['source']) =>
    s === 'calendar' ? x.sourceCalendar : s === 'manual' ? x.sourceManual : s === 'recurring' ? x.sourceRecurring : x.sourceQuick;
  const forwarding = (f: ActivityJson['forwarding']) => (f.mode === 'spoken' ? x.spoken : f.mode === 'none' ? x.none : `${x.number} ${f.number ?? ''}`.trim());
  const details = (a: ActivityJson) =>
    [source(a.source), forwarding(a.forwarding), a.text ? (a.operatorOnly ? `${a.text} ${x.operatorsOnlySuffix}` : a.text) : null].filter(Boolean).join(' · ');

  const remove = async (id: string) => {
    setConfirm(null);
    try {
      await client.deleteActivity(id);
      onChanged(x.deleted);
    } catch {
      onChanged(x.errDelete);
    }
  };

  const askOnce = (a: ActivityJson) =>
    confirm?.kind === 'single' && confirm.id === a.id ? (
      <div role="group" aria-label={x.deleteConfirm} style={row}>
        <Text>{x.deleteConfirm}</Text>
        <Button size="small" appearance="primary" onClick={() => void remove(a.id)}>
          {x.yes}
        </Button>
        <Button size="small" onClick={() => setConfirm(null)}>
          {x.cancel}
        </Button>
      </div>
    ) : null;

  const askRule = (ruleId: string) =>
    confirm?.kind === 'rule' && confirm.ruleId === ruleId ? (
      <div role="group" aria-label={x.deleteRuleQuestion} style={row}>
        <Text>{x.deleteRuleQuestion}</Text>
        <Button size="small" onClick={() => void remove(confirm.occurrence.id)}>
          {fill(x.onlyOccurrence, { when: at(confirm.occurrence.from) })}
        </Button>
        <Button size="small" appearance="primary" onClick={() => void remove(`rec:${ruleId}`)}>
          {x.wholeRule}
        </Button>
        <Button size="small" onClick={() => setConfirm(null)}>
          {x.cancel}
        </Button>
      </div>
    ) : null;

  return (
    <ul className="kk-list" data-testid="activity-list" aria-label={x.listLabel}>
      {groupRows(list).map((r) => {
        if (r.kind === 'single') {
          const a = r.activity;
          return (
            <li key={a.id}>
              <div style={row}>
                <span>
                  {label(a.key)} · {at(a.from)} – {a.to ? at(a.to) : x.untilFurtherNotice}
                </span>
                <Button size="small" aria-label={`${x.delete}: ${label(a.key)} ${at(a.from)}`} onClick={() => setConfirm({ kind: 'single', id: a.id })}>
                  {x.delete}
                </Button>
              </div>
              <Text size={200}>{details(a)}</Text>
              {askOnce(a)}
            </li>
          );
        }
        const first = r.occurrences[0] as ActivityJson;
        const rhythm = rhythmText(r.occurrences, zone, lang, x);
        const expanded = open.has(r.ruleId);
        const toggle = () => setOpen((s) => (s.has(r.ruleId) ? new Set([...s].filter((id) => id !== r.ruleId)) : new Set([...s, r.ruleId])));
        return (
          <li key={`rule:${r.ruleId}`} data-rule={r.ruleId}>
            <div style={row}>
              <span>
                {label(first.key)} · {rhythm}
              </span>
              <Button size="small" aria-expanded={expanded} onClick={toggle}>
                {expanded ? x.hideOccurrences : x.showOccurrences}
              </Button>
              <Button size="small" aria-label={`${x.delete}: ${label(first.key)} ${rhythm}`} onClick={() => setConfirm({ kind: 'rule', ruleId: r.ruleId, occurrence: first })}>
                {x.delete}
              </Button>
            </div>
            <Text size={200}>{details(first)}</Text>
            {expanded && (
              <ul className="kk-list" aria-label={`${label(first.key)} · ${rhythm}`}>
                {r.occurrences.map((o) => (
                  <li key={o.id} style={row}>
                    <span>
                      {at(o.from)} – {o.to ? at(o.to) : x.untilFurtherNotice}
                    </span>
                    <Button size="small" aria-label={`${x.delete}: ${label(o.key)} ${at(o.from)}`} onClick={() => setConfirm({ kind: 'rule', ruleId: r.ruleId, occurrence: o })}>
                      {x.delete}
                    </Button>
                  </li>
                ))}
              </ul>
            )}
            {askRule(r.ruleId)}
          </li>
        );
      })}
    </ul>
  );
}
