import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/start.js';

interface StartOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  demo?: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start the Cairn server (web UI and API)')
    .option('--port <port>', 'port to listen on (env CAIRN_PORT; default 3000)')
    .option('--host <host>', 'address to bind (env CAIRN_HOST; default 127.0.0.1)')
    .option('--data-dir <dir>', 'folder of the embedded database (env CAIRN_DATA_DIR; default ./data)')
    .option('--demo', 'load the demo organisation and allow demo logins (password "demo")')
    .addHelpText(
      'after',
      '\nSet DATABASE_URL=postgres://… to use a PostgreSQL server instead of the embedded database.',
    )
    .action(async (opts: StartOptions) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new Error(`--port takes a port number (0–65535), got "${opts.port}"`);
      }
      const config = loadConfig({
        port,
        host: opts.host,
        dataDir: opts.dataDir,
        demo: opts.demo ? true : undefined,
      });
      const started = Date.now();
      let shown = { percent: -100, step: '' };
      const server = await startServer(config, {
        onProgress: (p) => {
          // One line per step, and at most one per 10% within a long step.
          if (p.percent >= 100 || (p.step === shown.step && p.percent - shown.percent < 10)) return;
          shown = p;
          process.stderr.write(`Loading the demo organisation… ${p.percent}% (${p.step})\n`);
        },
      });
      let stopping = false;
      const shutdown = (signal: string) => {
        stopping = true;
        process.stderr.write(`Received ${signal}, shutting down…\n`);
        server.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.stdout.write(
        config.demo
          ? `Cairn is running at ${server.url} (the page shows the demo organisation loading)\n`
          : `Cairn is running at ${server.url}\n`,
      );
      let demoLogins;
      try {
        ({ demoLogins } = await server.ready);
      } catch (error) {
        if (stopping) return; // the shutdown handler exits
        await server.stop().catch(() => undefined);
        throw error;
      }
      if (!config.demo) return;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const lines = [`The demo organisation is ready (${seconds} s after start) at ${server.url}`];
      lines.push('Demo mode: every demo person signs in with the password "demo". For example:');
      for (const login of demoLogins.slice(0, 8)) lines.push(`  ${login.role.padEnd(22)} ${login.email}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
