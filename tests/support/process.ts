// Child processes for tests, run asynchronously: a vitest worker must never block its event loop for long
// (its RPC to the main process times out after 60 s — "Timeout calling onTaskUpdate" — and fails the run).
// Use spawnSync only for commands that take a second or less.
import { spawn } from "node:child_process";

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed with SIGKILL after this long (npm traps SIGTERM). */
  timeoutMs: number;
  input?: string;
}

/** Run a command to completion without blocking the event loop; never throws for a non-zero exit. */
export function runAsync(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => stdout.push(d));
    child.stderr?.on("data", (d: Buffer) => stderr.push(d));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    const finish = (status: number | null, signal: NodeJS.Signals | null, extra = ""): void => {
      clearTimeout(timer);
      resolveRun({
        status,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8") + extra,
      });
    };
    child.once("error", (err) => finish(null, null, `\nspawn failed: ${String(err)}\n`));
    child.once("close", (status, signal) => finish(status, signal));
  });
}

/** runAsync, throwing with the tail of stderr unless the command exits 0; returns stdout. */
export async function runChecked(command: string, args: string[], options: RunOptions): Promise<string> {
  const r = await runAsync(command, args, options);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stderr.slice(-4000)}`);
  }
  return r.stdout;
}
