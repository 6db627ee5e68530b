/** What the Kubernetes targets share: object metadata, backend references, multi-document YAML. */
import { Document } from 'yaml';
import type { Backend, ExportInput } from './input';
import type { Notes } from './notes';
import { CONFIG_DEFAULTS } from './input';
import { overlaps } from './match';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'strangler' };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function meta(input: ExportInput, name: string, extra: Partial<ObjectMeta> = {}): ObjectMeta {
  return {
    name,
    ...(input.options.namespace ? { namespace: input.options.namespace } : {}),
    ...extra,
    labels: { ...MANAGED_BY, ...extra.labels },
  };
}

/** A Kubernetes object with an optional comment written above it. */
export interface Doc {
  comment?: string;
  object: object;
}

export function yamlDocs(docs: readonly Doc[]): string {
  return docs
    .map((d) => {
      // Shared sub-objects are written out each time: anchors and aliases would only puzzle a reader.
      const doc = new Document(d.object, { aliasDuplicateObjects: false });
      if (d.comment) doc.commentBefore = d.comment.split('\n').map((l) => ` ${l}`).join('\n');
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

/** `name` or `namespace/name` of the Gateway. */
export function gatewayRef(input: ExportInput): { name: string; namespace?: string } {
  const [a, b] = input.options.gateway.split('/');
  return b === undefined ? { name: a } : { name: b, namespace: a };
}

export function serviceBackend(input: ExportInput, service: string): Backend {
  const b = input.services.get(service);
  if (!b) throw new Error(`unknown service ${service}`);
  return b;
}

/** A weight (0..100, two decimals in the facade) as integer shares: per cent when whole, else per ten thousand. */
export function integerShares(weight: number): { legacy: number; service: number } {
  if (Number.isInteger(weight)) return { legacy: 100 - weight, service: weight };
  const t = Math.round(weight * 100);
  return { legacy: 10_000 - t, service: t };
}

/**
 * Differences every Kubernetes traffic engine has from the facade, recorded once per export.
 * `perUserSticky`: the engine keeps a user on one side (Flagger's session affinity) or not.
 */
export function commonKubeNotes(input: ExportInput, notes: Notes, engine: string, opts: { perUserSticky: boolean; firstMatchWins: boolean; breaker: string | null }): void {
  const { config } = input;
  for (const b of [input.legacy, ...input.services.values()]) {
    const first = b.urls[0];
    if (!b.named) notes.add(null, `${b.key} (${first.host}) is a loopback or IP address; in the cluster it is taken to be the Service "${b.name}" on port ${b.port}`);
    if (b.urls.length > 1) notes.add(null, `${b.key} has ${b.urls.length} instances; in the cluster they are the endpoints of the one Service "${b.name}"`);
    if (first.pathname !== '/') notes.add(null, `${b.key}: the path in its URL (${first.pathname}) is not prepended; rewrite it on the ${engine} route if the service needs it`);
  }
  for (const r of config.routes) {
    if (!opts.perUserSticky && r.weight > 0 && r.weight < 100)
      notes.add(r.name, `${engine} splits the weight per request, not per user: one user sees both sides (the facade keeps each user on one side by hashing ${stickyDescription(input)})`);
    if (r.fallback && r.weight > 0)
      notes.add(r.name, `no fallback: a request the service fails is not retried on legacy (${engine} retries, where configured, go to the same backends)`);
    if (r.shadow) {
      notes.add(r.name, `shadow: the mirrored copies' answers are discarded, not compared with legacy's (status${r.shadow.compare.headers.length ? `, headers ${r.shadow.compare.headers.join(', ')}` : ''}, JSON body${r.shadow.compare.ignore.length ? ` ignoring ${r.shadow.compare.ignore.join(', ')}` : ''}); compare them from the service's own logs`);
      if (r.weight > 0) notes.add(r.name, `shadow: ${engine} mirrors the requests the service answers too, the facade only those legacy answers`);
      notes.add(r.name, `shadow: maxBodyBytes (${r.shadow.maxBodyBytes}), timeoutMs (${r.shadow.timeoutMs}) and shedUnderLoad are not expressible`);
    }
  }
  if (!opts.firstMatchWins)
    for (const [a, b] of overlaps(config.routes))
      notes.add(b.name, `the facade tries routes in file order, so "${a.name}" (earlier) takes requests this route also matches; ${engine} ranks matches by specificity, so this route takes them there`);
  const timeouts = [['legacy', config.legacy] as const, ...Object.entries(config.services)].filter(([, u]) => u.timeoutMs !== undefined);
  if (timeouts.length) notes.add(null, `upstream timeouts (${timeouts.map(([k, u]) => `${k} ${u.timeoutMs} ms`).join(', ')}) are not set; set them on the ${engine} route or its implementation`);
  if (opts.breaker) notes.add(null, opts.breaker);
  else notes.add(null, `circuit breaker and active health checks are not expressible; give the services readiness probes (the facade checks ${config.healthCheck.path}) and use your implementation's outlier detection`);
  if (config.trustedProxies.length) notes.add(null, `trustedProxies (${config.trustedProxies.join(', ')}): X-Forwarded-* handling is the gateway's setting`);
  if (JSON.stringify(config.limits) !== JSON.stringify(CONFIG_DEFAULTS.limits)) notes.add(null, 'limits (body and header sizes, client timeouts) are the gateway\'s settings, not exported');
  notes.add(null, `metrics: ${engine} reports its own (not strangler_* series); logs and the admin API are the engine's`);
}

export function stickyDescription(input: ExportInput): string {
  return input.config.sticky.keys.map((k) => ('header' in k ? `header ${k.header}` : 'cookie' in k ? `cookie ${k.cookie}` : 'client IP')).join(', then ') + ', then client IP';
}
