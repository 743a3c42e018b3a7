/**
 * The Kollegor search: typing is debounced, a search needs two characters, and the results are
 * searched again `refreshMs` after each answer while the page is visible (and at once when it
 * becomes visible again). Only the newest answer is shown; a failure keeps the last results.
 */
import * as React from 'react';
import { type ColleagueJson, type EndpointClient, EndpointError } from '../../api/client';

export type SearchError = 'failed' | 'notSignedIn' | null;

export interface ColleagueSearch {
  results: ColleagueJson[] | null;
  /** More matched than the endpoint lists (20). */
  more: boolean;
  error: SearchError;
  searching: boolean;
  /** The trimmed query is long enough to search. */
  ready: boolean;
}

export const MIN_QUERY = 2;

export function useColleagueSearch(client: EndpointClient | null, query: string, debounceMs: number, refreshMs: number): ColleagueSearch {
  const [results, setResults] = React.useState<ColleagueJson[] | null>(null);
  const [more, setMore] = React.useState(false);
  const [error, setError] = React.useState<SearchError>(null);
  const [searching, setSearching] = React.useState(false);
  /** Counts finished searches: the refresh is timed from the last one. */
  const [round, setRound] = React.useState(0);
  const seq = React.useRef(0);
  const q = query.trim();
  const ready = q.length >= MIN_QUERY;

  const run = React.useCallback(
    async (text: string) => {
      if (!client) return;
      const n = ++seq.current;
      setSearching(true);
      try {
        const r = await client.colleagues(text);
        if (n !== seq.current) return;
        setResults(r.colleagues);
        setMore(r.more === true);
        setError(null);
      } catch (e) {
        if (n !== seq.current) return;
        setError(e instanceof EndpointError && e.kind === 'notSignedIn' ? 'notSignedIn' : 'failed');
      } finally {
        if (n === seq.current) {
          setSearching(false);
          setRound((r) => r + 1);
        }
      }
    },
    [client],
  );

  // Typing: search once the user pauses.
  React.useEffect(() => {
    if (!ready) {
      seq.current++;
      setResults(null);
      setMore(false);
      setError(null);
      setSearching(false);
      return;
    }
    const h = setTimeout(() => void run(q), debounceMs);
    return () => clearTimeout(h);
  }, [q, ready, run, debounceMs]);

  // Refresh `refreshMs` after the last answer while visible; the tab is mounted only while selected.
  React.useEffect(() => {
    if (!ready) return;
    const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
    const h = setInterval(() => {
      if (visible()) void run(q);
    }, refreshMs);
    const onVisibility = () => {
      if (visible()) void run(q);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(h);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [q, ready, run, refreshMs, round]);

  // Answers that arrive after unmounting are dropped.
  React.useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  return { results, more, error, searching, ready };
}
