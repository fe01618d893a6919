import type { Command } from 'commander';

/** `cairn import …`: people from CSV now; work-data connectors add their own subcommands. */
export function registerImportCommands(program: Command): void {
  program.command('import').description('import data into Cairn');
}
