/**
 * Tab "Kollegor": search colleagues by name or extension and see what the directory shows for
 * each (the guide's Katalog): label, "➔ 13:00" or "Tills vidare", and the information text.
 */
import { Field, SearchBox, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import type { ColleagueJson, EndpointClient } from '../../api/client';
import { fill, TEXTS } from '../../i18n';
import { type ColleagueTexts, COLLEAGUE_TEXTS } from './texts';
import { type ColleagueSearch, useColleagueSearch } from './useColleagueSearch';

export interface ColleaguesProps {
  client: EndpointClient | null;
  lang: Lang;
  /** Pause after typing before searching (ms). */
  debounceMs?: number;
  /** How often the results are searched again while visible (ms). */
  refreshMs?: number;
}

function Result({ c, lang, x }: { c: ColleagueJson; lang: Lang; x: ColleagueTexts }) {
  const s = c.status?.[lang] ?? null;
  return (
    <li data-testid="colleague-result" className="kk-colleague">
      <div>
        <Text weight="semibold">{c.displayName ?? x.noName}</Text>{' '}
        <Text>
          · {x.extension} {c.extension}
        </Text>
      </div>
      {s ? (
        <div>
          <Text>
            {s.label} {s.returnText}
          </Text>
          {s.text && (
            <Text as="p" size={200}>
              {x.information}: {s.text}
            </Text>
          )}
          {s.soft && (
            <Text as="p" size={200}>
              {x.soft}
            </Text>
          )}
        </div>
      ) : (
        <Text>{x.noAbsence}</Text>
      )}
    </li>
  );
}

/** The calm line under the search box: a hint, "Söker …", the number of hits, or why it failed. */
function statusLine(x: ColleagueTexts, query: string, s: ColleagueSearch): string {
  if (s.error) return s.error === 'notSignedIn' ? x.notSignedIn : x.failed;
  if (!s.ready) return query.trim() ? x.hint : '';
  if (s.results === null) return s.searching ? x.searching : '';
  if (s.results.length === 0) return x.noHits;
  if (s.more) return fill(x.moreHits, { n: s.results.length });
  return s.results.length === 1 ? x.oneHit : fill(x.hits, { n: s.results.length });
}

export function Colleagues({ client, lang, debounceMs = 300, refreshMs = 30_000 }: ColleaguesProps) {
  const x = COLLEAGUE_TEXTS[lang];
  const [query, setQuery] = React.useState('');
  const search = useColleagueSearch(client, query, debounceMs, refreshMs);
  const { results, ready } = search;
  if (!client) return <Text>{x.notConnected}</Text>;
  const line = statusLine(x, query, search);
  return (
    <section aria-label={TEXTS[lang].tabColleagues} className="kk-colleagues">
      <Field label={x.search}>
        <SearchBox data-testid="colleague-search" value={query} onChange={(_e, d) => setQuery(d.value)} />
      </Field>
      <Text role="status">{line}</Text>
      {ready && results && results.length > 0 && (
        <ul className="kk-list" aria-label={x.results}>
          {results.map((c, i) => (
            <Result key={`${c.extension}:${c.displayName ?? ''}:${i}`} c={c} lang={lang} x={x} />
          ))}
        </ul>
      )}
    </section>
  );
}
