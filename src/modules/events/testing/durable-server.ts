// A real server process for the kill -9 and SIGTERM tests: durable acknowledgement unless the environment says
// otherwise, on the database the environment names (a PGlite directory in ANSWERLOOP_DATA_DIR, or DATABASE_URL).
// Prints "READY <port> <write key>" when listening; on SIGTERM shuts down as `answerloop serve` does.
import { loadConfig } from '../../../config/env.js';
import { openDatabase } from '../../../db/client.js';
import { migrate } from '../../../db/migrate.js';
import { buildApp } from '../../../server/app.js';

const config = loadConfig({ ANSWERLOOP_EVENTS_ACK: 'durable', ...process.env, NODE_ENV: 'test' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(database);
const built = await buildApp({ config, database });
await built.app.listen({ port: 0, host: '127.0.0.1' });
const address = built.app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`READY ${port} ${built.ctx.events.siteWriteKey()}\n`);
process.once('SIGTERM', () => {
  built
    .shutdown()
    .then(() => database.close())
    .then(() => process.exit(0))
    .catch(() => process.exit(1));
});
