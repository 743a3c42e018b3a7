/**
 * Issue 11: the architecture's rules as a test. dependency-cruiser (.dependency-cruiser.cjs)
 * checks src/ for import cycles, a pure core, Office.js packages only in the pane's office/ and
 * the commands, and an HTTP layer that never imports the store; and no source file is over
 * 400 lines. The Office.js global is checked by a scan, as no import names it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const MAX_LINES = 400;

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[]; totalCruised: number };
}

function cruise(...paths: string[]): Cruise {
  const bin = join(ROOT, 'node_modules', '.bin', 'depcruise');
  const r = spawnSync(bin, [...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (r.error) throw r.error;
  return JSON.parse(r.stdout) as Cruise;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const sources = files(join(ROOT, 'src')).filter((f) => /\.(ts|tsx)$/.test(f));

test('src/ keeps the rules: no cycles, a pure core, Office.js in its place, the HTTP layer off the store', () => {
  const result = cruise('src');
  expect(result.summary.totalCruised).toBeGreaterThan(100);
  const broken = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`);
  expect(broken).toEqual([]);
}, 120_000);

test('the rules catch a cycle put there on purpose', () => {
  const result = cruise('test/fixtures/architecture/cycle');
  const cycles = result.summary.violations.filter((v) => v.rule.name === 'no-circular');
  expect(cycles.length).toBeGreaterThan(0);
  expect(cycles[0]!.from).toMatch(/test\/fixtures\/architecture\/cycle\/[ab]\.ts$/);
}, 120_000);

test(`no source file is over ${MAX_LINES} lines`, () => {
  const long = sources.map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > MAX_LINES);
  expect(long).toEqual([]);
});

test('the Office.js global is used only in src/taskpane/office/ and src/commands/', () => {
  const outside = sources
    .filter((f) => !/src\/(taskpane\/office|commands)\//.test(f))
    .filter((f) => /\bOffice\.(onReady|context|MailboxEnums|AsyncResultStatus|CoercionType|actions|addin|auth|EventType)\b/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
    .map((f) => relative(ROOT, f));
  expect(outside).toEqual([]);
});
