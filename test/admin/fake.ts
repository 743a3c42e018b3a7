/**
 * A fake endpoint for the console's tests: routes by "METHOD /path", every request recorded with
 * its query and JSON body; an unknown route is a 404 problem document. Handlers return the body
 * (200) or reply(status, body). Importing it also gives findBy/waitFor 10 s (jsdom is slow here).
 */
import { configure } from '@testing-library/react';
import { AdminClient } from '../../src/admin/api';

// Fluent UI renders slowly in jsdom on a busy machine: give findBy/waitFor time before they give up.
configure({ asyncUtilTimeout: 10_000 });

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

const REPLY = Symbol('reply');
interface Reply {
  [REPLY]: true;
  status: number;
  body: unknown;
}

export function reply(status: number, body: unknown = null): Reply {
  return { [REPLY]: true, status, body };
}

export const problem = (status: number, detail: string, field?: string) =>
  reply(status, { type: 'about:blank', title: 'Problem', status, detail, ...(field ? { field } : {}) });

export type Handler = (r: FakeRequest) => unknown;

export function fakeEndpoint(routes: Record<string, Handler>) {
  const calls: FakeRequest[] = [];
  const fetchFn = (async (url: string, init: RequestInit = {}) => {
    const u = new URL(url, 'http://kk');
    const method = init.method ?? 'GET';
    const req: FakeRequest = {
      method,
      path: u.pathname,
      query: u.searchParams,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: (init.headers ?? {}) as Record<string, string>,
    };
    calls.push(req);
    const handler = routes[`${method} ${u.pathname}`];
    const answer = handler ? await handler(req) : problem(404, `There is no ${method} ${u.pathname}.`);
    const r = typeof answer === 'object' && answer !== null && REPLY in answer ? (answer as Reply) : reply(200, answer);
    return { ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => r.body };
  }) as unknown as typeof fetch;
  const client = new AdminClient('http://kk', async () => 'token', fetchFn);
  /** The requests to one route, e.g. "GET /api/v1/admin/users". */
  const to = (route: string) => calls.filter((c) => `${c.method} ${c.path}` === route);
  return { calls, to, fetchFn, client };
}
