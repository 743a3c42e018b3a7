#!/usr/bin/env node
/**
 * The `kalenderkoppling` command (SPEC 13): JSON in on standard input, JSON out on standard
 * output, exit 0; bad input gives one line on standard error naming the problem and exit 2.
 */
import { readFileSync } from 'node:fs';
import { buildOrg, ValidationError } from '../core';
import { takeOption } from './args';
import { parseCommand, resolveCommand, stateCommand, workdayNextCommand } from './commands';
import { UsageError } from './errors';

export { UsageError };

export const HELP = `kalenderkoppling — the Kalenderkoppling domain rules on the command line

Usage:
  kalenderkoppling parse "<subject>" [--org <file.json>]
      Reads a subject's NP/<code>: prefix (SPEC 4). Prints
      {"accepted", "key", "canonical", "canonicalSubject", "rest", "nearMiss": {"kind", "key"} | null}.

  kalenderkoppling resolve < input.json
      Decides whether one booking diverts (SPEC 8.2). Input:
      {"booking": {"subject", "start", "end", "isAllDay", "location", "body", "sensitivity",
                   "showAs", "isCancelled", "responseStatus"},
       "settings"?, "profile"?, "extension"?: {"shared": bool}, "org"?}
      Prints {"diverts", "reason", "code", "forwarding", "from", "to", "text", "warnings"}.

  kalenderkoppling state < input.json
      Which diversion is in force at an instant (SPEC 9–10). Input:
      {"at": instant, "org"?, "activities": [{"id", "source", "key", "forwarding": {"mode", "number"?},
                                              "from", "to": instant | null}]}
      Prints {"state": null | {"activityId", "key", "mex", "forwarding", "returnAt", "switch"}, "nextChange"}.

  kalenderkoppling workday --next <instant> [--org <file.json>]
      Start of the next working day after the instant's local date (SPEC 7). Prints {"next": instant}.

  kalenderkoppling serve
      Runs the sync endpoint (configuration from the environment, see docs/admin.md). With no
      configuration: SQLite under ./data, development sign-in, listening on 127.0.0.1:3000.

  kalenderkoppling token --user <id> [--name "<name>"] [--admin] [--extension <n> [--shared]]
      Development sign-in only (AUTH_MODE=dev): prints a bearer token the endpoint accepts.
      --extension also links the user to that extension in the database.

  kalenderkoppling manifest --url https://<your endpoint>
      Prints the Outlook add-in manifest with every URL pointing at the endpoint, to upload in
      the Microsoft 365 admin center (Integrated apps). The endpoint serves the add-in's pages.

  kalenderkoppling --help | <command> --help

Instants are ISO 8601 with Z or an offset; output instants are UTC with Z. Omitted settings and
profile fields take the defaults; "org" may set timeZone (default Europe/Stockholm), workdayStart,
workdayEnd, extraDaysOff, catalog overrides, and default settings and profile.
Exit status: 0 done, 2 bad input (one line on standard error), 1 internal error.
`;


export interface Io {
  readStdin: () => Promise<string>;
  stdinIsTty: boolean;
  readFile: (path: string) => string;
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

function parseJson(text: string, what: string): unknown {
  if (text.trim() === '') throw new UsageError(`${what} is empty; it must hold a JSON object`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

function orgFromFile(path: string | undefined, io: Io): unknown {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    throw new UsageError(`--org: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseJson(text, `--org file ${path}`);
}

async function stdinJson(io: Io, command: string): Promise<unknown> {
  if (io.stdinIsTty) throw new UsageError(`${command} reads JSON on standard input, e.g. kalenderkoppling ${command} < input.json`);
  return parseJson(await io.readStdin(), 'standard input');
}

export async function run(argv: string[], io: Io): Promise<number> {
  const args = [...argv];
  const command = args.shift();
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return command === undefined ? 2 : 0;
    }
    if (args.includes('--help') || args.includes('-h')) {
      io.out(HELP);
      return 0;
    }
    let result: unknown;
    switch (command) {
      case 'parse': {
        const org = orgFromFile(takeOption(args, '--org'), io);
        if (args.length !== 1) throw new UsageError('parse takes one argument, the subject in quotes: kalenderkoppling parse "NP/L: Lunch"');
        result = parseCommand(args[0] as string, buildOrg(org).catalog);
        break;
      }
      case 'resolve':
      case 'state': {
        if (args.length > 0) throw new UsageError(`${command} takes no arguments; it reads JSON on standard input`);
        const input = await stdinJson(io, command);
        result = command === 'resolve' ? resolveCommand(input) : stateCommand(input);
        break;
      }
      case 'workday': {
        const org = orgFromFile(takeOption(args, '--org'), io);
        const next = takeOption(args, '--next');
        if (next === undefined || args.length > 0) throw new UsageError('usage: kalenderkoppling workday --next <instant>');
        result = workdayNextCommand(next, org);
        break;
      }
      case 'serve': {
        if (args.length > 0) throw new UsageError('serve takes no arguments; it is configured through the environment (docs/admin.md)');
        const { loadConfig } = await import('../server/config');
        const { serve } = await import('../server/main');
        await serve(loadConfig(io.env), io.out);
        return 0;
      }
      case 'token': {
        const { devToken } = await import('./token');
        io.out(`${await devToken(args, io.env)}\n`);
        return 0;
      }
      case 'manifest': {
        const { manifestCommand } = await import('./manifest');
        io.out(manifestCommand(args, io.readFile));
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"; the commands are parse, resolve, state, workday, serve, token and manifest (see --help)`);
    }
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (e) {
    const message = ((e as Error)?.message ?? String(e)).replace(/\s*\n\s*/g, ' ');
    if (e instanceof ValidationError || e instanceof UsageError || (e as Error)?.name === 'ConfigError') {
      io.err(`kalenderkoppling: ${message}\n`);
      return 2;
    }
    // serve and token reach databases and ports: say what failed, in one line.
    const what = command === 'serve' || command === 'token' ? 'cannot start' : 'internal error';
    io.err(`kalenderkoppling: ${what}: ${message}\n`);
    return 1;
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

if (require.main === module) {
  run(process.argv.slice(2), {
    readStdin: () => readAll(process.stdin),
    stdinIsTty: Boolean(process.stdin.isTTY),
    readFile: (p) => readFileSync(p, 'utf8'),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
