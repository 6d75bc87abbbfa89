import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { KubeconfigError, UsageError } from '../../lib/errors/index.ts';
import { createLogger } from '../../lib/log/index.ts';
import { connectToCluster } from '../cluster.ts';
import { globalsOf } from '../options/globals.ts';
import { addNormalizeOptions, normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';
import { addRepositoryOptions, openRepository, type RepositoryFlags } from '../options/repository.ts';

interface ServeFlags extends RepositoryFlags, NormalizeFlags {
  listen: string;
  tokenFile?: string;
}

/** The token, one line of the file; an unreadable or empty file is refused rather than serving without a gate. */
async function readToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--token-file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const token = text.trim();
  if (token.length < 16) throw new UsageError(`--token-file ${file} holds no token of at least 16 characters.`);
  return token;
}

export function registerServeCommand(program: Command): void {
  const command = new Command('serve')
    .description(
      "a read-only web site of the repository's history: timeline, commits, compare, objects, drift and restore preview (drift and the preview need a kubeconfig)",
    )
    .option(
      '--listen <host:port>',
      'the address to listen on; anything but loopback needs --token-file',
      '127.0.0.1:8080',
    )
    .option(
      '--token-file <file>',
      'a file holding the token readers open the site with once (?token=…), then a cookie',
    );
  addRepositoryOptions(command, { write: false });
  // Drift and the preview compare as diff --live and restore do: the watch's digest key, skip policies and --secrets.
  addNormalizeOptions(command);
  command.action(async (_options, self: Command) => {
    const { AccessToken, liveClusterView, parseListen, servePages, startServer } = await import(
      '../../lib/serve/index.ts'
    );
    const options = globalsOf<ServeFlags>(self);
    const logger = createLogger({ format: options.logFormat, verbosity: options.verbose });
    const listen = parseListen(options.listen);
    const token = options.tokenFile ? new AccessToken(await readToken(options.tokenFile)) : undefined;
    const repository = await openRepository(options, { write: false });
    const connection = await connectToCluster(options).catch((error: unknown) => {
      if (!(error instanceof KubeconfigError)) throw error;
      logger.info('no cluster: the drift and restore preview pages need a kubeconfig', { reason: error.message });
      return undefined;
    });
    const normalize = await normalizeFrom(options);
    const cluster = connection && liveClusterView(connection.client, repository, { prefix: options.prefix, normalize });
    const server = await startServer({
      listen,
      token,
      pages: servePages(repository, { cluster, prefix: options.prefix }),
    });
    logger.info(`serving ${options.repo} at ${server.url}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    connection?.client.close();
    await repository.close();
  });
  program.addCommand(command);
}
