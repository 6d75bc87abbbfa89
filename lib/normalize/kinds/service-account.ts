import { deleteIfEmpty, isMap, mapAt, type JsonMap } from '../fields.ts';

/** Token Secrets the cluster minted (before 1.24) are listed as `<account>-token-<suffix>`. */
export function stripServiceAccount(account: JsonMap): void {
  const tokenPrefix = `${mapAt(account, 'metadata')?.name}-token-`;
  if (!Array.isArray(account.secrets)) return;
  account.secrets = account.secrets.filter(
    (secret) => !(isMap(secret) && typeof secret.name === 'string' && secret.name.startsWith(tokenPrefix)),
  );
  deleteIfEmpty(account, 'secrets');
}
