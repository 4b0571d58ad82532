// A studio process for db/embedded-postgres.test.ts to kill -9: it starts the embedded PostgreSQL of the folder in
// argv[2], says so on stdout, and waits to be killed.
import { ensureEmbeddedPostgres } from "./embedded-postgres";

const server = await ensureEmbeddedPostgres(process.argv[2]!);
process.stdout.write(`${JSON.stringify({ port: server.port, owner: server.owner })}\n`);
setInterval(() => undefined, 60_000);
