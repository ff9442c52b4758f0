import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';

/**
 * The lower ceiling of the single-POST legs: the framework alone, none of the service. Koa,
 * @koa/router and koa-bodyparser (the service's own three) with one route that parses the JSON
 * body and answers 201 `{message, eventId}` with a fresh UUID: no validation, no middleware, no
 * log line, no metrics, no publisher. GET /health/ready is there only for the bench's start wait.
 * The port comes from PORT.
 */
const app = new Koa();
const router = new Router();
router.post('/events/generate', (ctx) => {
  ctx.status = 201;
  ctx.body = { message: 'Event published successfully', eventId: randomUUID() };
});
router.get('/health/ready', (ctx) => {
  ctx.body = { status: 'ready' };
});
app.use(bodyParser({ enableTypes: ['json'] }));
app.use(router.routes());

const server = createServer(app.callback());
// The service's listen backlog (src/wiring/http-server.ts): a kernel setting, not framework work;
// with Node's default of 511 the 1,024-connection leg would measure dropped SYNs, not Koa.
server.listen({ port: Number(process.env.PORT), host: '127.0.0.1', backlog: 4096 });
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  // Keep-alive connections the load generator left open would hold close() back.
  server.closeAllConnections();
});
