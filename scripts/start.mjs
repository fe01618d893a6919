// `npm start`: build the web app when needed, then run the server with the demo organisation on
// http://127.0.0.1:3000. Extra arguments go to `cairn start` (e.g. `npm start -- --port 8080`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, buildWebIfStale } from './web-build.mjs';

const log = (line) => process.stderr.write(`[cairn] ${line}\n`);

try {
  const web = buildWebIfStale(log);
  if (web === 'fresh') log('The web app is built and up to date.');
  if (web === 'absent') log('No web app in this checkout (vite.config.ts is missing); serving the API only.');
} catch (error) {
  log(error.message);
  process.exit(1);
}

log('Starting Cairn with the demo organisation (the first start creates the database and loads the demo)…');
// Request logs (JSON) would bury the URL and the demo logins; CAIRN_LOG_LEVEL=info brings them back.
const env = { ...process.env, CAIRN_LOG_LEVEL: process.env.CAIRN_LOG_LEVEL || 'warn' };
const cairn = path.join(ROOT, 'bin', 'cairn.js');
const child = spawn(process.execPath, [cairn, 'start', '--demo', ...process.argv.slice(2)], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
