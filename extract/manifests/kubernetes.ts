/**
 * Kubernetes manifests for the service: Deployment (probes on the service's own /health and
 * /ready, resources, rolling update, non-root), Service, ConfigMap, a Secret template whose values
 * come from the environment, HorizontalPodAutoscaler, PodDisruptionBudget and the data volume's
 * claim, with a kustomization listing them. The tests validate every one against the Kubernetes
 * schemas (kubernetes-models, an ES module: export/test/support/validate-k8s.mjs, shared with export's tests).
 */
import { stringify } from 'yaml';
import type { ExtractPlan } from '../plan';

export interface KubernetesOptions {
  port: number;
  /** The data is an SQLite file: one pod at a time. */
  sqlite: boolean;
  secrets: string[];
  monolithDbFile: string;
}

export function kubernetesManifests(plan: ExtractPlan, o: KubernetesOptions): Record<string, object | string> {
  const name = plan.name;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'strangler' };
  const shared = plan.shared.length > 0;
  const replicas = o.sqlite ? 1 : 2;
  const configData: Record<string, string> = {
    PORT: String(o.port),
    HOST: '0.0.0.0',
    NODE_ENV: 'production',
    ...(o.sqlite ? { DATABASE_PATH: `/data/${name}.db` } : {}),
    ...(o.sqlite && (shared || plan.owned.length) ? { MONOLITH_DATABASE_PATH: `/monolith/${o.monolithDbFile}` } : {}),
  };
  const deployment = manifest('apps/v1', 'Deployment', {
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      // an SQLite file can be open in one pod only: replace the pod rather than run two side by side
      strategy: { type: 'RollingUpdate', rollingUpdate: o.sqlite ? { maxSurge: 0, maxUnavailable: 1 } : { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name,
              image: `${name}:latest`,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: o.port }],
              envFrom: [{ configMapRef: { name: `${name}-config` } }, ...(o.secrets.length ? [{ secretRef: { name: `${name}-secrets` } }] : [])],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
              livenessProbe: { httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
              startupProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              ...(o.sqlite ? { volumeMounts: [{ name: 'data', mountPath: '/data' }, ...(configData.MONOLITH_DATABASE_PATH ? [{ name: 'monolith-data', mountPath: '/monolith' }] : [])] } : {}),
            },
          ],
          ...(o.sqlite
            ? {
                volumes: [
                  { name: 'data', persistentVolumeClaim: { claimName: `${name}-data` } },
                  ...(configData.MONOLITH_DATABASE_PATH ? [{ name: 'monolith-data', persistentVolumeClaim: { claimName: 'monolith-data' } }] : []),
                ],
              }
            : {}),
        },
      },
    },
  });
  const service = manifest('v1', 'Service', {
    metadata: { name, labels },
    spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  const configMap = manifest('v1', 'ConfigMap', { metadata: { name: `${name}-config`, labels }, data: configData });
  const hpa = manifest('autoscaling/v2', 'HorizontalPodAutoscaler', {
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: replicas,
      maxReplicas: o.sqlite ? 1 : 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  const pdb = manifest('policy/v1', 'PodDisruptionBudget', { metadata: { name, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } } });
  const pvc = manifest('v1', 'PersistentVolumeClaim', { metadata: { name: `${name}-data`, labels }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });

  const out: Record<string, object | string> = {
    'deployment.yaml': deployment,
    'service.yaml': service,
    'configmap.yaml': configMap,
    'hpa.yaml': hpa,
    'pdb.yaml': pdb,
    ...(o.sqlite ? { 'pvc.yaml': pvc } : {}),
    'kustomization.yaml': { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['configmap.yaml', ...(o.sqlite ? ['pvc.yaml'] : []), 'deployment.yaml', 'service.yaml', 'hpa.yaml', 'pdb.yaml'] },
  };
  if (o.secrets.length) {
    const secret = manifest('v1', 'Secret', { metadata: { name: `${name}-secrets`, labels }, type: 'Opaque', stringData: Object.fromEntries(o.secrets.map((s) => [s, `\${${s}}`])) });
    out['secret.template.yaml'] = `# Credentials, filled from the environment: envsubst < k8s/secret.template.yaml | kubectl apply -f -\n${stringify(secret)}`;
  }
  return out;
}

function manifest(apiVersion: string, kind: string, body: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion, kind, ...body };
}
