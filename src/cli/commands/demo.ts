import type { Command } from 'commander';

export function registerDemoCommand(program: Command): void {
  program.command('demo').description('load the demo organisation');
}
