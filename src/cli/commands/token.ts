import type { Command } from 'commander';
import { createApiToken, findAccountByEmail } from '../../modules/accounts/accounts.service.js';
import { openConfiguredDatabase, withDatabaseOptions } from '../database-options.js';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('personal API tokens for automation');
  withDatabaseOptions(
    token
      .command('create')
      .description('create a token for an account; prints it once (use as Authorization: Bearer <token>)')
      .requiredOption('--email <email>', 'the account the token acts as')
      .option('--name <name>', 'a label to recognise the token by', 'cli')
      .option('--expires-in-days <days>', 'expire the token after this many days'),
  ).action(async (opts: { email: string; name: string; expiresInDays?: string; dataDir?: string }) => {
    const days = opts.expiresInDays === undefined ? undefined : Number(opts.expiresInDays);
    if (days !== undefined && (!Number.isInteger(days) || days < 1))
      throw new Error('--expires-in-days takes a whole number of days, 1 or more');
    const { database } = await openConfiguredDatabase(opts);
    try {
      const account = await findAccountByEmail(database.db, opts.email);
      if (!account)
        throw new Error(`No account with e-mail ${opts.email}. Accounts are listed at /admin/accounts.`);
      const created = await createApiToken(database.db, account.id, opts.name, days);
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(
        `Token "${created.name}" for ${account.email}${created.expiresAt ? `, expires ${created.expiresAt.toISOString()}` : ''}. It is shown only once.\n`,
      );
    } finally {
      await database.close();
    }
  });
}
