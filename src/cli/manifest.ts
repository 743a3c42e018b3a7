/**
 * `kalenderkoppling manifest --url https://…`: the add-in manifest with every URL pointing at the
 * deployment. The manifest in the package uses the development base https://localhost:3000/;
 * webpack uses the same rewrite for `--env url=…` builds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeOption } from './args';
import { UsageError } from './errors';

export const DEV_BASE_URL = 'https://localhost:3000';

/** Replaces the development base URL everywhere (SourceLocation, icons, support URL, AppDomain). */
export function rewriteManifestUrls(xml: string, url: string): string {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UsageError(`--url: "${url}" is not a URL; give the endpoint's public address, e.g. https://kalenderkoppling.example.se`);
  }
  if (base.protocol !== 'https:') throw new UsageError('--url must be https: Outlook loads add-ins only over https');
  const target = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  return xml.split(DEV_BASE_URL).join(target);
}

export function manifestCommand(argv: string[], readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): string {
  const args = [...argv];
  const url = takeOption(args, '--url');
  const file = takeOption(args, '--manifest') ?? join(__dirname, '..', '..', 'manifest.xml');
  if (args.length > 0) throw new UsageError(`manifest: unexpected ${JSON.stringify(args[0])}; usage: kalenderkoppling manifest --url https://<your endpoint>`);
  if (!url) throw new UsageError('manifest needs --url https://<your endpoint> (the address users reach the endpoint at)');
  return rewriteManifestUrls(readFile(file), url);
}
