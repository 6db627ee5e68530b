// Validates the Kubernetes manifests extract writes against their schemas with kubernetes-models,
// outside jest: kubernetes-models is an ES module, which jest's CommonJS runtime cannot load.
// Usage: node validate-k8s.mjs <file.yaml>...  Prints [{file, kind, name, error}] as JSON; error null = valid.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const MODELS = {
  'apps/v1/Deployment': () => import('kubernetes-models/apps/v1/Deployment').then((m) => m.Deployment),
  'v1/Service': () => import('kubernetes-models/v1/Service').then((m) => m.Service),
  'v1/ConfigMap': () => import('kubernetes-models/v1/ConfigMap').then((m) => m.ConfigMap),
  'v1/Secret': () => import('kubernetes-models/v1/Secret').then((m) => m.Secret),
  'v1/PersistentVolumeClaim': () => import('kubernetes-models/v1/PersistentVolumeClaim').then((m) => m.PersistentVolumeClaim),
  'autoscaling/v2/HorizontalPodAutoscaler': () => import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler').then((m) => m.HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': () => import('kubernetes-models/policy/v1/PodDisruptionBudget').then((m) => m.PodDisruptionBudget),
};

const out = [];
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const obj = doc.toJS();
    const kind = `${obj.apiVersion}/${obj.kind}`;
    const load = MODELS[kind];
    let error = null;
    if (!load) error = `no schema for ${kind}`;
    else {
      try {
        const Model = await load();
        new Model(obj).validate();
      } catch (err) {
        error = err.message;
      }
    }
    out.push({ file, kind, name: obj.metadata?.name ?? null, error });
  }
}
process.stdout.write(JSON.stringify(out));
