import type { Command } from 'commander';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import { ZCreateUserRequest } from '../../modules/accounts/accounts.schema.js';
import { CLI_ACTOR, createUser, generatePassword, updateUser } from '../../modules/accounts/index.js';
import { AppError } from '../../server/errors.js';
import { apiError, withDatabaseOrServer } from '../database-or-server.js';

function describeError(error: unknown): never {
  if (error instanceof ZodError) {
    throw new Error(error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'));
  }
  if (error instanceof AppError) throw new Error(error.message);
  throw error;
}

/** `answerloop users create|reset-password`: accounts from the command line (audited as "command line"). */
export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('create users and reset their passwords');

  users
    .command('create')
    .description('create a user; prints a generated password once')
    .requiredOption('--email <email>', 'their email (what they sign in with)')
    .requiredOption('--name <name>', 'their name, as shown in the admin app and audit log')
    .requiredOption('--role <role>', 'admin, editor, translator, analyst, agent or viewer')
    .option('--locale <language>', 'their admin-app language: en, es, ru, ar, he or ja', 'en')
    .option('--locales <codes>', 'a translator’s content locales, comma-separated (e.g. ar,he)')
    .option('--server <url>', 'the running server to go through when it holds the embedded database')
    .action(
      async (options: {
        email: string;
        name: string;
        role: string;
        locale: string;
        locales?: string;
        server?: string;
      }) => {
        let input: ReturnType<typeof ZCreateUserRequest.parse>;
        try {
          input = ZCreateUserRequest.parse({
            email: options.email,
            name: options.name,
            role: options.role,
            locale: options.locale,
            ...(options.locales
              ? {
                  locales: options.locales
                    .split(',')
                    .map((l) => l.trim())
                    .filter(Boolean),
                }
              : {}),
          });
        } catch (error) {
          describeError(error);
        }
        const created = await withDatabaseOrServer(
          options,
          async (database) => {
            const { password: _none, ...rest } = input;
            const result = await createUser(database.db, rest, { actor: CLI_ACTOR }).catch(describeError);
            return { email: result.user.email, role: result.user.role, password: result.generatedPassword ?? '' };
          },
          async (call) => {
            const { status, json } = await call('POST', '/api/users', input);
            if (status !== 201) throw new Error(apiError(json, status));
            const body = json as { user: { email: string; role: string }; password?: string };
            return { email: body.user.email, role: body.user.role, password: body.password ?? '' };
          },
        );
        console.error(`created ${created.role} ${created.email}; their password (shown once):`);
        console.log(created.password);
      },
    );

  users
    .command('reset-password')
    .description('set a new generated password (printed once) and sign the user out everywhere')
    .argument('<email>', 'the user’s email')
    .option('--server <url>', 'the running server to go through when it holds the embedded database')
    .action(async (email: string, options: { server?: string }) => {
      const password = generatePassword();
      const wanted = email.trim().toLowerCase();
      await withDatabaseOrServer(
        options,
        async (database) => {
          const user = await database.db
            .selectFrom('users')
            .select('id')
            .where(sql<string>`lower(email)`, '=', wanted)
            .executeTakeFirst();
          if (!user) throw new Error(`no user has the email ${wanted}`);
          await updateUser(database.db, user.id, { password }, { actor: CLI_ACTOR }).catch(describeError);
        },
        async (call) => {
          const list = await call('GET', '/api/users');
          if (list.status !== 200) throw new Error(apiError(list.json, list.status));
          const user = (list.json as { users: { id: number; email: string }[] }).users.find((u) => u.email === wanted);
          if (!user) throw new Error(`no user has the email ${wanted}`);
          const { status, json } = await call('PATCH', `/api/users/${user.id}`, { password });
          if (status !== 200) throw new Error(apiError(json, status));
        },
      );
      console.error(`new password for ${wanted} (shown once; their sessions were signed out):`);
      console.log(password);
    });
}
