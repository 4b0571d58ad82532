// Next.js start-up hook: opens the database (migrations under a lock) and prepares first-run data once.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startStudio } = await import("./server/startup");
  await startStudio();
}
