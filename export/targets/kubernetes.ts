/**
 * The facade itself on Kubernetes: its routes config as a ConfigMap (mounted as a directory, so the
 * kubelet's atomic `..data` swap reaches the running facade, which reloads it), a Deployment of
 * stateless replicas (the sticky hash decides alike on each), Services for traffic and the admin
 * API, and a PodDisruptionBudget. The admin token comes from a Secret the user creates.
 */
import { stringify } from 'yaml';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap' with { 'resolution-mode': 'import' };
import type { IService } from 'kubernetes-models/v1/Service' with { 'resolution-mode': 'import' };
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment' with { 'resolution-mode': 'import' };
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget' with { 'resolution-mode': 'import' };
import type { Converter } from '../converter';
import type { Backend, ExportInput } from '../input';
import type { Notes } from '../notes';
import { meta, yamlDocs } from '../kube';
import { FACADE_NODE_OPTIONS } from '../../facade/node-options';

export const FACADE = 'strangler-facade';
const LABELS = { 'app.kubernetes.io/name': FACADE };
export const CONFIG_DIR = '/etc/strangler';
export const TOKEN_FILE = '/var/run/strangler/token';
const HTTP_PORT = 8080;
const ADMIN_PORT = 8081;

const clusterUrl = (b: Backend): string => `${b.scheme}://${b.name}:${b.port}`;

/** The config as the user wrote it, with each upstream as its Service and the pod's own bindings. */
export function clusterConfig(input: ExportInput, notes: Notes): Record<string, unknown> {
  const raw = structuredClone(input.raw) as Record<string, unknown>;
  const upstream = (value: unknown, b: Backend): unknown => {
    if (typeof value === 'string') return clusterUrl(b);
    if (b.urls.length > 1) notes.add(null, `${b.key}: its ${b.urls.length} instances become the one Service ${b.name} (the Service balances them; the facade's per-instance health checks see one)`);
    return { ...(value as object), urls: [clusterUrl(b)] };
  };
  raw.legacy = upstream(raw.legacy, input.legacy);
  const services = (raw.services ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(services)) services[key] = upstream(value, input.services.get(key)!);
  raw.listen = { host: '0.0.0.0', port: HTTP_PORT };
  const admin = { ...((raw.admin as object | undefined) ?? {}), host: '0.0.0.0', port: ADMIN_PORT, tokenFile: TOKEN_FILE } as Record<string, unknown>;
  delete admin.tokenEnv;
  raw.admin = admin;
  return raw;
}

function configMap(input: ExportInput, notes: Notes): IConfigMap {
  const text = `# routes.yaml for the facade in the cluster (from ${input.source}); edit here, the replicas reload it.\n${stringify(clusterConfig(input, notes), { lineWidth: 0 })}`;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(input, 'strangler-routes'), data: { 'routes.yaml': text } };
}

function deployment(input: ExportInput): IDeployment {
  const { image, replicas } = input.options;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(input, FACADE, { labels: LABELS }),
    spec: {
      replicas,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          // Longer than --shutdown-timeout, so in-flight requests finish before the kill.
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: LABELS } }],
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
          containers: [
            {
              name: 'facade',
              image,
              args: ['facade', '-c', `${CONFIG_DIR}/routes.yaml`, '--shutdown-timeout', '20000'],
              env: [{ name: 'NODE_OPTIONS', value: FACADE_NODE_OPTIONS }],
              ports: [
                { name: 'http', containerPort: HTTP_PORT },
                { name: 'admin', containerPort: ADMIN_PORT },
              ],
              readinessProbe: { httpGet: { path: '/readyz', port: 'admin' }, periodSeconds: 5, failureThreshold: 2 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'admin' }, periodSeconds: 10, failureThreshold: 3 },
              resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                // The whole directory, never a subPath: subPath mounts do not receive ConfigMap updates.
                { name: 'routes', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'admin-token', mountPath: '/var/run/strangler', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'routes', configMap: { name: 'strangler-routes' } },
            { name: 'admin-token', secret: { secretName: 'strangler-admin-token', items: [{ key: 'token', path: 'token' }] } },
          ],
        },
      },
    },
  };
}

function service(input: ExportInput, name: string, port: number, targetPort: string): IService {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(input, name, { labels: LABELS }), spec: { selector: LABELS, ports: [{ name: targetPort, port, targetPort }] } };
}

function disruptionBudget(input: ExportInput): IPodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(input, FACADE, { labels: LABELS }), spec: { minAvailable: 1, selector: { matchLabels: LABELS } } };
}

export const kubernetes: Converter = {
  target: 'kubernetes',
  file: 'kubernetes.yaml',
  summary: 'the facade itself: ConfigMap (routes.yaml, hot-reloaded), Deployment of replicas, Services, PodDisruptionBudget',
  convert(input, notes) {
    for (const b of [input.legacy, ...input.services.values()])
      if (!b.named) notes.add(null, `${b.key} (${b.urls[0].host}) is a loopback or IP address; in the cluster it is taken to be the Service "${b.name}" on port ${b.port}`);
    notes.add(null, 'the ConfigMap is mounted read-only: an admin API weight change is live in memory on the one replica that received it (409, persisted: false); change weights in the ConfigMap, which every replica reloads');
    return yamlDocs([
      { comment: 'The routes config. Create the admin token first:\n  kubectl create secret generic strangler-admin-token --from-literal=token="$(openssl rand -hex 16)"', object: configMap(input, notes) },
      { comment: `Stateless replicas: each user's side is the same on every one (a hash of the sticky key).`, object: deployment(input) },
      { object: service(input, FACADE, 80, 'http') },
      { comment: 'The admin API (bearer token); keep it inside the cluster.', object: service(input, `${FACADE}-admin`, ADMIN_PORT, 'admin') },
      ...(input.options.replicas > 1 ? [{ object: disruptionBudget(input) }] : []),
    ]);
  },
};
