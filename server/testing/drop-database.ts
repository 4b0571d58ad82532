// Removing the throwaway PostgreSQL databases of tests and benchmarks.

/**
 * Drops a throwaway database once its connections have gone. A closed pool's sockets can still be
 * open for a moment; dropping "with (force)" then terminates them, and the FATAL message reaches a
 * client nobody listens to any more, which crashed the test process.
 */
export async function dropDatabaseWhenIdle(adminUrl: string, name: string): Promise<void> {
  const { Client } = await import("pg");
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
