// Entry point of `npm run studio -- <command>`: runs one CLI command with the real process, then exits with its code.
import { runCli } from "./commands";

const exitCode = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
process.exitCode = exitCode;
