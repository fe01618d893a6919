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
      const server = await startServer(config);
      const lines = [`Cairn is running at ${server.url}`];
      if (config.demo) {
        lines.push('Demo mode: every demo person signs in with the password "demo". For example:');
        for (const login of server.demoLogins.slice(0, 8))
          lines.push(`  ${login.role.padEnd(22)} ${login.email}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      const shutdown = (signal: string) => {
        process.stderr.write(`Received ${signal}, shutting down…\n`);
        server.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
