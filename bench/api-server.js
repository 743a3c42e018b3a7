#!/usr/bin/env node
/**
 * Child process of bench:api: runs either the real endpoint (SQLite file, development sign-in,
 * request logging off) or a bare Fastify route, on 127.0.0.1, and reports its port to the parent.
 */
const kind = process.argv[2];

async function main() {
  if (kind === 'bare') {
    const app = require('fastify')({ logger: false });
    app.put('/bare/:id', async (req) => ({ id: req.params.id, ok: typeof req.body === 'object' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    process.send({ port: app.server.address().port });
    return;
  }
  const { loadConfig } = require('../dist/server/config');
  const { startServer } = require('../dist/server/main');
  const config = loadConfig({ ...process.env, AUTH_MODE: 'dev', PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000' });
  const running = await startServer(config);
  process.send({ port: running.app.server.address().port });
  process.on('SIGTERM', () => running.stop().then(() => process.exit(0)));
}

main().catch((e) => {
  console.error(`bench server failed: ${e.message}`);
  process.exit(1);
});
