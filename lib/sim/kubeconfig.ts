// The kubeconfig a client needs to reach the simulator: its URL, its CA and a bearer token.
import { dump } from 'js-yaml';

export function kubeconfigYaml(args: { url: string; caPem: string; token: string }): string {
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kubesnap-sim',
        cluster: { server: args.url, 'certificate-authority-data': Buffer.from(args.caPem).toString('base64') },
      },
    ],
    users: [{ name: 'kubesnap-sim', user: { token: args.token } }],
    contexts: [
      { name: 'kubesnap-sim', context: { cluster: 'kubesnap-sim', user: 'kubesnap-sim', namespace: 'default' } },
    ],
    'current-context': 'kubesnap-sim',
    preferences: {},
  });
}
