/**
 * Kubernetes manifests for the service, built as typed objects from kubernetes-models and validated
 * against the Kubernetes schemas before they are written: Deployment (probes on the service's own
 * /health and /ready, resources, rolling update, non-root), Service, ConfigMap, a Secret template
 * whose values come from the environment, HorizontalPodAutoscaler, PodDisruptionBudget and the
 * data volume's claim, with a kustomization listing them.
 */
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
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
    DATABASE_PATH: `/data/${name}.db`,
    ...(shared || plan.owned.length ? { MONOLITH_DATABASE_PATH: `/monolith/${o.monolithDbFile}` } : {}),
  };
  const deployment = new Deployment({
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
              volumeMounts: [{ name: 'data', mountPath: '/data' }, ...(configData.MONOLITH_DATABASE_PATH ? [{ name: 'monolith-data', mountPath: '/monolith' }] : [])],
            },
          ],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName: `${name}-data` } },
            ...(configData.MONOLITH_DATABASE_PATH ? [{ name: 'monolith-data', persistentVolumeClaim: { claimName: 'monolith-data' } }] : []),
          ],
        },
      },
    },
  });
  const service = new Service({
    metadata: { name, labels },
    spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  const configMap = new ConfigMap({ metadata: { name: `${name}-config`, labels }, data: configData });
  const hpa = new HorizontalPodAutoscaler({
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: replicas,
      maxReplicas: o.sqlite ? 1 : 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  const pdb = new PodDisruptionBudget({ metadata: { name, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } } });
  const pvc = new PersistentVolumeClaim({ metadata: { name: `${name}-data`, labels }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  for (const m of [deployment, service, configMap, hpa, pdb, pvc]) m.validate();

  const out: Record<string, object | string> = {
    'deployment.yaml': deployment.toJSON(),
    'service.yaml': service.toJSON(),
    'configmap.yaml': configMap.toJSON(),
    'hpa.yaml': hpa.toJSON(),
    'pdb.yaml': pdb.toJSON(),
    'pvc.yaml': pvc.toJSON(),
    'kustomization.yaml': { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['configmap.yaml', 'pvc.yaml', 'deployment.yaml', 'service.yaml', 'hpa.yaml', 'pdb.yaml'] },
  };
  if (o.secrets.length) {
    const secret = new Secret({ metadata: { name: `${name}-secrets`, labels }, type: 'Opaque', stringData: Object.fromEntries(o.secrets.map((s) => [s, `\${${s}}`])) });
    secret.validate();
    out['secret.template.yaml'] = `# Credentials, filled from the environment: envsubst < k8s/secret.template.yaml | kubectl apply -f -\n${stringify(secret.toJSON())}`;
  }
  return out;
}
