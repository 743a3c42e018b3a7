/** One line for what the switch is told (Leveranser, Journal): "Lunch (L, MEX 0) ➔ 13:00" or "Ingen hänvisning". */
import { returnText } from '../format';
import type { CommonTexts } from '../texts';
import type { SwitchState } from '../types';

export function stateSummary(state: SwitchState | null | undefined, t: CommonTexts, none: string, now = new Date()): string {
  if (!state || typeof state !== 'object') return none;
  const code = state.mex === null || state.mex === undefined ? state.code : `${state.code}, MEX ${state.mex}`;
  const target = state.forwarding === 'number' && state.number ? ` → ${state.number}` : '';
  return `${state.label} (${code}) ${returnText(state.returnAt ?? null, t, now)}${target}`;
}
