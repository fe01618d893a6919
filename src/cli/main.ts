import { Command, CommanderError } from 'commander';
import { registerBenchCommand } from './commands/bench.js';
import { registerCoachingCommands } from './commands/coaching.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerImportCommands } from './commands/import.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerSignalsCommands } from './commands/signals.js';
import { registerStartCommand } from './commands/start.js';
import { registerTokenCommands } from './commands/token.js';

const program = new Command('cairn')
  .description('Cairn — continuous coaching and performance management built on real work data')
  .showHelpAfterError()
  .exitOverride();

registerStartCommand(program);
registerDemoCommand(program);
registerMigrateCommand(program);
registerImportCommands(program);
registerTokenCommands(program);
registerBenchCommand(program);
registerSignalsCommands(program);
registerCoachingCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`cairn: ${(error as Error).message}\n`);
  process.exit(1);
}
