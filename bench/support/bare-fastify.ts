// The baseline server: bare Fastify 5, one route answering a JSON constant of the same shape
// and size as Kontor's one-user page of GET /api/v1/users. No plugins, no schema, no logger.
// Usage: node --import tsx bench/support/bare-fastify.ts <port>
import Fastify from 'fastify';

const PAGE = {
  items: [
    {
      id: '7d0f3c1e-5b7a-4f2e-9a56-0c2d8e4b1a93',
      email: 'admin@example.com',
      displayName: null,
      createdAt: '2026-11-29T12:00:00.000Z',
      updatedAt: '2026-11-29T12:00:00.000Z',
    },
  ],
  nextCursor: null,
};

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`bare-fastify: expected a port number, got "${process.argv[2] ?? ''}"\n`);
  process.exit(1);
}

const app = Fastify({ logger: false });
app.get('/api/v1/users', async () => PAGE);
await app.listen({ port, host: '127.0.0.1' });
