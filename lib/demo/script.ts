import {
  applyObject,
  createObject,
  deleteObject,
  discoverResources,
  mergePatchObject,
  resolveResourceSpelling,
  type ApiResource,
  type KubeClient,
} from '../kube/index.ts';

type Manifest = { metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

/** One change of the demo's scripted day, made the way a person or a tool would make it. */
export interface DemoStep {
  /** What a person did, in a few words (printed by the demo). */
  title: string;
  run(cluster: DemoCluster): Promise<unknown>;
}

/** The writes the demo makes, each under the field manager of the tool a person would have used. */
export class DemoCluster {
  private constructor(
    private readonly client: KubeClient,
    private resources: ApiResource[],
  ) {}

  static async connect(client: KubeClient): Promise<DemoCluster> {
    return new DemoCluster(client, (await discoverResources(client)).resources);
  }

  /** Discovery again, after a CRD made a new kind appear. */
  async refresh(): Promise<void> {
    this.resources = (await discoverResources(this.client)).resources;
  }

  private resource(spelling: string): ApiResource {
    return resolveResourceSpelling(this.resources, spelling)[0];
  }

  /** A strategic merge patch, as kubectl scale, set and edit send. */
  patch(
    spelling: string,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    fieldManager: string,
  ): Promise<unknown> {
    return mergePatchObject(this.client, this.resource(spelling), namespace, name, patch, {
      fieldManager,
      strategic: true,
    });
  }

  create(spelling: string, object: Manifest, fieldManager: string): Promise<unknown> {
    return createObject(this.client, this.resource(spelling), object, { fieldManager });
  }

  apply(spelling: string, object: Manifest, fieldManager: string): Promise<unknown> {
    return applyObject(this.client, this.resource(spelling), object, { fieldManager, force: true });
  }

  delete(spelling: string, namespace: string | undefined, name: string): Promise<unknown> {
    return deleteObject(this.client, this.resource(spelling), namespace, name);
  }
}

/** A short believable day in the shop's cluster. */
export const demoDay: DemoStep[] = [
  {
    title: 'scale the storefront for the morning rush',
    run: (cluster) => cluster.patch('deployments.apps', 'shop', 'web', { spec: { replicas: 4 } }, 'kubectl-scale'),
  },
  {
    title: 'roll out a new storefront image',
    run: (cluster) =>
      cluster.patch(
        'deployments.apps',
        'shop',
        'web',
        {
          spec: { template: { spec: { containers: [{ name: 'web', image: 'registry.example.com/shop/web:1.8.0' }] } } },
        },
        'kubectl-set',
      ),
  },
  {
    title: 'edit the storefront configuration',
    run: (cluster) =>
      cluster.patch('configmaps', 'shop', 'web-config', { data: { FEATURE_CHECKOUT_V2: 'true' } }, 'kubectl-edit'),
  },
  {
    title: 'open a preview namespace for a feature branch',
    run: async (cluster) => {
      await cluster.create(
        'namespaces',
        { metadata: { name: 'preview-42', labels: { purpose: 'preview' } } },
        'kubectl-create',
      );
      await cluster.create(
        'configmaps',
        { metadata: { name: 'preview', namespace: 'preview-42' }, data: { BRANCH: 'feature/checkout-v2' } },
        'kubectl-create',
      );
    },
  },
  {
    title: 'close the preview namespace',
    run: (cluster) => cluster.delete('namespaces', undefined, 'preview-42'),
  },
  {
    title: 'install a CRD and its first objects with Helm',
    run: async (cluster) => {
      await cluster.apply(
        'customresourcedefinitions.apiextensions.k8s.io',
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'backupschedules.ops.example.com' },
          spec: {
            group: 'ops.example.com',
            scope: 'Namespaced',
            names: {
              plural: 'backupschedules',
              singular: 'backupschedule',
              kind: 'BackupSchedule',
              shortNames: ['bks'],
            },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
              },
            ],
          },
        },
        'helm',
      );
      await cluster.refresh();
      await cluster.apply(
        'backupschedules.ops.example.com',
        {
          apiVersion: 'ops.example.com/v1',
          kind: 'BackupSchedule',
          metadata: { name: 'nightly', namespace: 'payments', labels: { 'app.kubernetes.io/managed-by': 'Helm' } },
          spec: { schedule: '0 3 * * *', retention: '30d' },
        },
        'helm',
      );
    },
  },
];
