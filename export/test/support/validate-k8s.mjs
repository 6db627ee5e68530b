// Validates every object of multi-document YAML files against its schema, outside jest: the
// @kubernetes-models packages are ES modules, which jest's CommonJS runtime cannot load.
// Used by export/test and extract/test. Kubernetes kinds use kubernetes-models, @kubernetes-models/{gateway-api,istio,argo-rollouts};
// Flagger's use its vendored CRD schema through ajv, strict like `kubectl apply --validate=strict`
// (unknown fields are errors). Prints [{file, index, kind, name, error}] as JSON; error null = valid.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');

const MODELS = {
  'v1/Service': () => import('kubernetes-models/v1/Service').then((m) => m.Service),
  'v1/ConfigMap': () => import('kubernetes-models/v1/ConfigMap').then((m) => m.ConfigMap),
  'apps/v1/Deployment': () => import('kubernetes-models/apps/v1/Deployment').then((m) => m.Deployment),
  'policy/v1/PodDisruptionBudget': () => import('kubernetes-models/policy/v1/PodDisruptionBudget').then((m) => m.PodDisruptionBudget),
  'v1/Secret': () => import('kubernetes-models/v1/Secret').then((m) => m.Secret),
  'v1/PersistentVolumeClaim': () => import('kubernetes-models/v1/PersistentVolumeClaim').then((m) => m.PersistentVolumeClaim),
  'autoscaling/v2/HorizontalPodAutoscaler': () => import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler').then((m) => m.HorizontalPodAutoscaler),
  'gateway.networking.k8s.io/v1/HTTPRoute': () => import('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute').then((m) => m.HTTPRoute),
  'networking.istio.io/v1/VirtualService': () => import('@kubernetes-models/istio/networking.istio.io/v1/VirtualService').then((m) => m.VirtualService),
  'networking.istio.io/v1/DestinationRule': () => import('@kubernetes-models/istio/networking.istio.io/v1/DestinationRule').then((m) => m.DestinationRule),
  'argoproj.io/v1alpha1/Rollout': () => import('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout').then((m) => m.Rollout),
  'argoproj.io/v1alpha1/AnalysisTemplate': () => import('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate').then((m) => m.AnalysisTemplate),
};

/** An object schema without its own rule for extra keys rejects them, as strict field validation does. */
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strict(s)])) : strict(v);
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

function crdValidators() {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'flagger-crd.yaml');
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = {};
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = doc.toJS();
    for (const v of crd.spec.versions) {
      const schema = strict(v.schema.openAPIV3Schema);
      // metadata is the API server's to check (ObjectMeta); the CRD leaves it open.
      validators[`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`] = ajv.compile(schema);
    }
  }
  return validators;
}

const crds = crdValidators();
const results = [];
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (let index = 0; index < docs.length; index++) {
    const obj = docs[index].toJS();
    if (obj === null) continue;
    const key = `${obj.apiVersion}/${obj.kind}`;
    const entry = { file, index, kind: key, name: obj.metadata?.name ?? null, error: null };
    try {
      if (MODELS[key]) {
        const Model = await MODELS[key]();
        new Model(obj).validate();
      } else if (crds[key]) {
        if (!crds[key](obj)) entry.error = crds[key].errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ''}`).join('; ');
      } else {
        entry.error = `no schema known for ${key}`;
      }
    } catch (err) {
      entry.error = String(err.message ?? err);
    }
    results.push(entry);
  }
}
process.stdout.write(JSON.stringify(results));
