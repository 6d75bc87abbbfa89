// `etcd restore-plan`: the exact steps to put a snapshot back on a kubeadm-style control-plane node
// (etcd and kube-apiserver as static pods), as data; cli/ prints it.
import { basename } from 'node:path';
import type { SnapshotCheck } from './snapshot-file.ts';

export interface RestorePlanOptions {
  /** etcdutl (etcd 3.5+, where `etcdctl snapshot restore` is deprecated) or etcdctl (etcd 3.4). */
  tool?: 'etcdutl' | 'etcdctl';
  /** The member name; default the shell's `$(hostname)`, as kubeadm names members after their node. */
  name?: string;
  /** This member's peer URL; default `https://$NODE_IP:2380`. */
  peerUrl?: string;
  /** Every member as NAME=PEER_URL; default this member alone. */
  initialCluster?: string;
  dataDir?: string;
  manifestsDir?: string;
  /** Where the snapshot will be on the node; default /root/<file name>. */
  snapshotPath?: string;
}

export interface RestoreStep {
  title: string;
  commands: string[];
}

export interface RestorePlan {
  /** The restore itself as argv (and environment), for running it without a shell. */
  restore: { env: Record<string, string>; argv: string[] };
  steps: RestoreStep[];
  notes: string[];
}

/** Quotes for a POSIX shell, leaving `$VAR` / `$(...)` to expand inside double quotes. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (arg.includes('$') && !/["\\`]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function commandLine(env: Record<string, string>, argv: string[]): string {
  return [...Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`), ...argv.map(shellQuote)].join(
    ' ',
  );
}

export function etcdRestorePlan(check: SnapshotCheck, options: RestorePlanOptions = {}): RestorePlan {
  const tool = options.tool ?? 'etcdutl';
  const name = options.name ?? '$NODE_NAME';
  const peerUrl = options.peerUrl ?? 'https://$NODE_IP:2380';
  const dataDir = options.dataDir ?? '/var/lib/etcd';
  const manifests = options.manifestsDir ?? '/etc/kubernetes/manifests';
  const stopped = `${manifests}.stopped-for-restore`;
  const snapshot = options.snapshotPath ?? `/root/${basename(check.file)}`;
  const env: Record<string, string> = tool === 'etcdctl' ? { ETCDCTL_API: '3' } : {};
  const argv = [
    tool,
    'snapshot',
    'restore',
    snapshot,
    '--data-dir',
    dataDir,
    '--name',
    name,
    '--initial-cluster',
    options.initialCluster ?? `${name}=${peerUrl}`,
    '--initial-advertise-peer-urls',
    peerUrl,
    ...(check.etcdHashAppended ? [] : ['--skip-hash-check']),
  ];
  const etcdctl =
    'ETCDCTL_API=3 etcdctl --endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key';
  const variables = [
    ...(options.name === undefined ? ['NODE_NAME=$(hostname)'] : []),
    ...(options.peerUrl === undefined
      ? ['NODE_IP=$(hostname -i | cut -d" " -f1)   # this node\'s address on the etcd peer network']
      : []),
  ];
  const steps: RestoreStep[] = [
    ...(variables.length
      ? [{ title: 'On the control-plane node, as root, name this member', commands: variables }]
      : []),
    {
      title: `Copy the snapshot to ${snapshot} and check it is whole`,
      commands: [`echo ${shellQuote(`${check.sha256}  ${snapshot}`)} | sha256sum -c -`],
    },
    {
      title: 'Stop kube-apiserver and etcd (the kubelet stops static pods whose manifests go away)',
      commands: [
        `mkdir -p ${shellQuote(stopped)}`,
        `mv ${shellQuote(`${manifests}/kube-apiserver.yaml`)} ${shellQuote(`${manifests}/etcd.yaml`)} ${shellQuote(stopped)}/`,
        `while crictl ps -q --name '^(kube-apiserver|etcd)$' | grep -q .; do sleep 2; done`,
      ],
    },
    {
      title: 'Keep the current data directory aside',
      commands: [`mv ${shellQuote(dataDir)} ${shellQuote(`${dataDir}.before-restore`)}`],
    },
    {
      title: 'Restore the snapshot into a fresh data directory',
      commands: [commandLine(env, argv)],
    },
    {
      title: 'Start etcd and wait until it is healthy',
      commands: [
        `mv ${shellQuote(`${stopped}/etcd.yaml`)} ${shellQuote(manifests)}/`,
        `until ${etcdctl} endpoint health; do sleep 2; done`,
      ],
    },
    {
      title: 'Start kube-apiserver, then restart the components that cached the old state',
      commands: [
        `mv ${shellQuote(`${stopped}/kube-apiserver.yaml`)} ${shellQuote(manifests)}/`,
        `until kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /readyz >/dev/null; do sleep 2; done`,
        `crictl ps -q --name '^(kube-controller-manager|kube-scheduler)$' | xargs -r crictl stop`,
        'systemctl restart kubelet',
        `rmdir ${shellQuote(stopped)}`,
      ],
    },
  ];
  const notes = [
    `The snapshot is at revision ${check.revision ?? 'unknown'}; the cluster goes back to that moment, and everything written since is lost.`,
    'With several control-plane nodes: stop kube-apiserver and etcd on all of them first, restore this same snapshot on each one with its own --name and peer URL and --initial-cluster listing every member, then start them.',
    ...(check.etcdHashAppended
      ? []
      : [
          'This file has no sha256 trailer (it was copied from a data directory), so the restore needs --skip-hash-check.',
        ]),
    ...(check.problems.length ? [`This file is damaged (${check.problems[0]}); do not restore it.`] : []),
  ];
  return { restore: { env, argv }, steps, notes };
}
