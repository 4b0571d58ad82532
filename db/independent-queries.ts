// Independent reads on one executor: side by side on a pool, where each takes a connection of its own; one after
// another inside a transaction, which is a single connection. node-postgres deprecates sending a query to a client
// that is still running another (it queued them; pg 9 drops that), and a transaction's client is exactly that.
import { PgTransaction } from "drizzle-orm/pg-core";

/** Runs `queries` on `db` (a pool or a transaction), side by side when that is safe; answers in their order. */
export async function independentQueries<T extends unknown[]>(db: object, ...queries: { [K in keyof T]: () => PromiseLike<T[K]> }): Promise<T> {
  if (!(db instanceof PgTransaction)) return (await Promise.all(queries.map((query) => query()))) as T;
  const answers: unknown[] = [];
  for (const query of queries) answers.push(await query());
  return answers as T;
}
