/**
 * `kalenderkoppling token`: a development bearer token (AUTH_MODE=dev only), optionally linking
 * the user to an extension so `npm start` can be tried without an admin round trip.
 */
import { DEV_TENANT_ID, loadOrCreateDevKey, signDevToken } from '../server/auth';
import { loadConfig } from '../server/config';
import { openStore } from '../server/store/open';
import { takeFlag, takeOption } from './args';
import { UsageError } from './errors';

export async function devToken(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const args = [...argv];
  const user = takeOption(args, '--user');
  const name = takeOption(args, '--name');
  const admin = takeFlag(args, '--admin');
  const extension = takeOption(args, '--extension');
  const shared = takeFlag(args, '--shared');
  if (args.length > 0) throw new UsageError(`token: unexpected ${JSON.stringify(args[0])}; usage: kalenderkoppling token --user <id> [--name "<name>"] [--admin] [--extension <n> [--shared]]`);
  if (!user) throw new UsageError('token needs --user <id>');
  if (extension !== undefined && !/^[0-9]{2,15}$/.test(extension)) throw new UsageError('--extension must be 2 to 15 digits');
  if (shared && extension === undefined) throw new UsageError('--shared goes with --extension');
  const config = loadConfig(env);
  if (config.auth.mode !== 'dev') throw new UsageError('token is for development sign-in only (AUTH_MODE=dev); with Entra ID, users sign in through the add-in');
  const key = await loadOrCreateDevKey(config.dataDir);
  let token: string;
  try {
    token = await signDevToken(key, { user, name, admin, scope: config.auth.scope });
  } catch (e) {
    throw new UsageError(`--user: ${(e as Error).message}`);
  }
  if (extension !== undefined) {
    const store = await openStore(config.databaseUrl);
    try {
      await store.linkUser({ tid: DEV_TENANT_ID, oid: user }, { extension, shared, displayName: name ?? null }, Date.now());
    } finally {
      await store.close();
    }
  }
  return token;
}
