import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The browser-test harness: builds the web app when it is missing or stale, starts the real Cairn
 * server (`cairn start --demo`) on a fresh data folder and a free port, and launches Debian's
 * Chromium through playwright-core.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB_SRC = path.join(REPO_ROOT, 'src/web');
const WEB_DIST = path.join(REPO_ROOT, 'dist/web');
const VITE_CONFIG = path.join(REPO_ROOT, 'vite.config.ts');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when dist/web is missing or older than anything in src/web (or the Vite config). */
export function webBuildIsStale(): boolean {
  const index = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return Math.max(newestMtime(WEB_SRC), newestMtime(VITE_CONFIG)) > built;
}

/** Runs `vite build` when the build is missing or stale. */
export function ensureWebBuild(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  if (!webBuildIsStale()) return;
  log('e2e: building the web app (dist/web is missing or older than src/web)…');
  const vite = path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0)
    throw new Error(`vite build failed with exit code ${result.status ?? result.signal}`);
}

/** Asks the OS for a free TCP port on the loopback address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCairn {
  url: string;
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node bin/cairn.js start --demo` as a child process on a fresh data folder, waits for its
 * "Cairn is running at URL" line and for /readyz to answer 200 (the server listens at once and
 * answers 503 while the demo organisation loads; the specs need it fully loaded).
 */
export async function startCairn(options: { timeoutMs?: number } = {}): Promise<RunningCairn> {
  const timeoutMs = options.timeoutMs ?? 240_000;
  const startedAt = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-'));
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin/cairn.js'),
      'start',
      '--demo',
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CAIRN_LOG_LEVEL: 'warn',
        // The specs sign in several times from one address; the default limit (10 a minute) is for people.
        CAIRN_LOGIN_RATE_LIMIT: '1000',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    output += chunk;
  });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Cairn did not start within ${timeoutMs / 1000}s. Output:\n${output}`)),
        timeoutMs,
      );
      child.stdout?.on('data', (chunk: string) => {
        output += chunk;
        const match = /Cairn is running at (\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`Cairn exited with code ${code} before it was ready. Output:\n${output}`));
      });
    });
    await waitForReady(url, Math.max(timeoutMs - (Date.now() - startedAt), 30_000), exited, () => output);
    return { url, dataDir, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForReady(
  url: string,
  timeoutMs: number,
  exited: Promise<number | null>,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`Cairn exited with code ${exitCode} while loading. Output:\n${output()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${url}/readyz did not answer 200 within ${(timeoutMs / 1000).toFixed(0)}s (last: ${last}). Output:\n${output()}`,
  );
}

/** Whether Debian's Chromium is installed where the specs expect it. */
export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

/**
 * Whether the browser specs run. Without Chromium they are skipped locally (with a reason printed)
 * but fail under CI=true, where a missing browser is a broken machine, not a reason to pass.
 */
export function browserSpecsEnabled(): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') return true; // launchBrowser() then fails loudly
  process.stderr.write(
    `e2e: skipping browser specs: Chromium is not at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH).\n`,
  );
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it (apt-get install -y chromium, or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface DemoLogin {
  email: string;
  name: string;
  role: string;
}

/** The demo's suggested logins, as the login page shows them. */
export async function demoLogins(baseUrl: string): Promise<DemoLogin[]> {
  const res = await fetch(`${baseUrl}/api/v1/auth/demo`);
  const body = (await res.json()) as { demo: boolean; logins: DemoLogin[] };
  if (!body.demo) throw new Error('The server is not in demo mode');
  return body.logins;
}

/** The first suggested login whose role label is exactly `role` (e.g. 'manager', 'employee', 'admin'). */
export function loginFor(logins: DemoLogin[], role: string): DemoLogin {
  const found = logins.find((l) => l.role === role);
  if (!found) {
    throw new Error(
      `No demo login with role "${role}"; the demo offers: ${logins.map((l) => l.role).join(', ') || 'none'}`,
    );
  }
  return found;
}

/** Signs in through the login page as a person would: pick the suggested login, press Sign in. */
export async function signInAs(page: Page, baseUrl: string, login: DemoLogin): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator(`[data-testid="demo-login"][data-email="${login.email}"]`).click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.getByTestId('signed-in-name').waitFor();
}

/** Saves a full-page screenshot to e2e/screenshots/NAME.png (git-ignored) for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = path.join(REPO_ROOT, 'e2e/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
