/**
 * STYLE: src/core is pure, shared unchanged by the task pane, the endpoint and the CLI. Its
 * modules may import each other and the few browser-safe libraries below, and nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CORE = join(__dirname, '..', '..', 'src', 'core');
const ALLOWED = ['luxon', 'date-holidays', 'rrule'];
const files = readdirSync(CORE).filter((f) => f.endsWith('.ts'));

test.each(files)('%s imports only core modules and browser-safe libraries', (file) => {
  const source = readFileSync(join(CORE, file), 'utf8');
  const imports = [
    ...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gms),
    ...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]/g),
  ].map((m) => m[1]!);
  for (const spec of imports) {
    if (spec.startsWith('./')) continue;
    expect(ALLOWED).toContain(spec);
  }
  expect(source).not.toMatch(/\bprocess\.(env|argv|exit)|\bconsole\.\w+\(|\bOffice\.(context|onReady)/);
});
