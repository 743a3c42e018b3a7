/**
 * Loading one thing from the endpoint: only the newest answer is shown (a slow older answer never
 * overwrites a newer one), a failure keeps the last data, and `reload()` asks again. With
 * `pollMs` it asks again that long after each answer while the page is visible, and at once when
 * the page becomes visible again (Leveranser polls every 3 s).
 */
import * as React from 'react';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

export function useLoad<T>(load: () => Promise<T>, deps: React.DependencyList, pollMs = 0): Loaded<T> {
  const [data, setData] = React.useState<T | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [loading, setLoading] = React.useState(true);
  /** Counts finished loads: the next poll is timed from the last one. */
  const [round, setRound] = React.useState(0);
  const seq = React.useRef(0);
  const loadRef = React.useRef(load);
  loadRef.current = load;

  const run = React.useCallback(async () => {
    const n = ++seq.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (n !== seq.current) return;
      setData(value);
      setError(null);
    } catch (e) {
      if (n !== seq.current) return;
      setError(e);
    } finally {
      if (n === seq.current) {
        setLoading(false);
        setRound((r) => r + 1);
      }
    }
  }, []);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  React.useEffect(() => void run(), deps);

  React.useEffect(() => {
    if (pollMs <= 0) return;
    const h = setTimeout(() => {
      if (visible()) void run();
    }, pollMs);
    const onVisibility = () => {
      if (visible()) void run();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(h);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [pollMs, round, run]);

  // Answers that arrive after unmounting are dropped.
  React.useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  return { data, error, loading, reload: () => void run() };
}
