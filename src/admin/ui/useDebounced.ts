/** A value that follows `value` once it has stayed the same for `ms` (the search boxes' pause). */
import * as React from 'react';

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = React.useState(value);
  React.useEffect(() => {
    if (ms <= 0) {
      setSettled(value);
      return;
    }
    const h = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return settled;
}
