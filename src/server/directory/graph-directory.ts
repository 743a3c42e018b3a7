/**
 * The directory through Microsoft Graph app-only (User.Read.All): logins resolved to users with
 * `GET /users/{login}` in JSON batches (404: not a UPN or object id), then, for what looks like
 * an address, `GET /users?$filter=mail eq '…'`; and every user (or a group's, nested groups
 * included) read page by page for the directory sync. Reads only; never logs a login or a name.
 */
import { GraphError, type GraphClient, type Sleep } from '../calendar/graph-client';
import { batchGet, getAll, odataString, userPath } from './batch';
import type { DirectoryLookup, DirectoryUser } from './types';

/** What a lookup asks Graph for: as little as the callers need. */
export const USER_SELECT = 'id,displayName,userPrincipalName,mail';
/** Longer than any UPN or address (Graph allows 113 characters for a UPN, 256 for an address). */
const MAX_LOGIN = 320;

export interface GraphDirectoryOptions {
  client: GraphClient;
  /** GRAPH_BASE_URL, e.g. https://graph.microsoft.com/v1.0. */
  baseUrl: string;
  /** Waiting out a Retry-After inside a batch; tests record it instead. */
  sleep?: Sleep;
}

/** A user as Graph gives one (the fields asked for with $select). */
export interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  [property: string]: unknown;
}

const lower = (s: unknown): string | null => (typeof s === 'string' && s.trim() !== '' ? s.trim().toLowerCase() : null);

export function directoryUser(u: GraphUser): DirectoryUser {
  return {
    oid: u.id.toLowerCase(),
    displayName: typeof u.displayName === 'string' && u.displayName.trim() !== '' ? u.displayName.trim() : null,
    upn: lower(u.userPrincipalName),
    mail: lower(u.mail),
  };
}

const isUser = (v: unknown): v is GraphUser => typeof (v as { id?: unknown } | null)?.id === 'string' && (v as { id: string }).id !== '';

export class GraphDirectory implements DirectoryLookup {
  private readonly sleep: Sleep;

  constructor(private readonly o: GraphDirectoryOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async resolve(logins: readonly string[]): Promise<Map<string, DirectoryUser>> {
    const wanted = [...new Set(logins.map((l) => l.trim().toLowerCase()).filter((l) => l !== '' && l.length <= MAX_LOGIN))];
    const found = new Map<string, DirectoryUser>();
    const byPath = await batchGet(this.o.client, this.o.baseUrl, wanted.map((l) => `${userPath(l)}?$select=${USER_SELECT}`), this.sleep);
    const byMail: string[] = [];
    wanted.forEach((login, i) => {
      const r = byPath[i]!;
      if (r.status === 200 && isUser(r.body)) found.set(login, directoryUser(r.body));
      // 404: no user has it as UPN or object id; 400: not even shaped like one.
      else if (r.status === 404 || r.status === 400) {
        if (login.includes('@')) byMail.push(login);
      } else throw subError(r);
    });
    if (byMail.length === 0) return found;
    const filtered = await batchGet(
      this.o.client,
      this.o.baseUrl,
      byMail.map((l) => `/users?$filter=${encodeURIComponent(`mail eq ${odataString(l)}`)}&$select=${USER_SELECT}`),
      this.sleep,
    );
    byMail.forEach((login, i) => {
      const r = filtered[i]!;
      if (r.status === 400) return;
      if (r.status !== 200) throw subError(r);
      const users = ((r.body as { value?: unknown } | null)?.value ?? []) as unknown[];
      // Two users with one address would be a directory error: name neither rather than guess.
      if (users.length === 1 && isUser(users[0])) found.set(login, directoryUser(users[0]));
    });
    return found;
  }

  /**
   * Every user with `select` (the sync's attribute besides the lookup's fields), 999 a page; with
   * `groupId`, only that group's users, nested groups included (the OData cast needs Graph's
   * advanced queries, hence ConsistencyLevel and $count).
   */
  async listUsers(select: readonly string[], groupId: string | null): Promise<GraphUser[]> {
    const fields = [...new Set([...USER_SELECT.split(','), ...select])].join(',');
    const items = groupId
      ? await getAll(this.o.client, `${this.o.baseUrl}/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=${fields}&$top=999&$count=true`, {
          ConsistencyLevel: 'eventual',
        })
      : await getAll(this.o.client, `${this.o.baseUrl}/users?$select=${fields}&$top=999`);
    return items.filter(isUser);
  }
}

function subError(r: { status: number; body: unknown }): GraphError {
  const e = (r.body as { error?: { code?: unknown } } | null)?.error;
  const code = typeof e?.code === 'string' ? e.code : null;
  return new GraphError(r.status, code, `Graph directory GET failed: HTTP ${r.status}${code ? ` ${code}` : ''}`);
}
