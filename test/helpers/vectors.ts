/** Loads the worked examples in test/fixtures (copied from the shared vectors). */
import resolveVectors from '../fixtures/resolve.json';
import stateVectors from '../fixtures/state.json';
import subjectVectors from '../fixtures/subjects.json';
import workdayVectors from '../fixtures/workday.json';

export interface Vector<I, E> {
  name: string;
  input: I;
  expect: E;
}

export const resolveCases = resolveVectors as Vector<Record<string, unknown>, Record<string, unknown>>[];
export const stateCases = stateVectors as Vector<Record<string, unknown>, { state: Record<string, unknown> | null }>[];
export const subjectCases = subjectVectors as { subject: string; expect: Record<string, unknown> }[];
export const workdayCases = workdayVectors as { from: string; next: string }[];
