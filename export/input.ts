/**
 * What every converter is fed: the routes config parsed by the facade's own schema, plus the
 * Kubernetes names of its upstreams and the options of the run. Converters read only this.
 */
import { isIP } from 'node:net';
import { FacadeConfigSchema, type FacadeConfig, type Upstream } from '../facade/config/schema';

export const TARGETS = ['gateway-api', 'istio', 'argo-rollouts', 'flagger', 'nginx', 'kubernetes'] as const;
export type Target = (typeof TARGETS)[number];

export interface ExportOptions {
  /** metadata.namespace of every object; none = the namespace `kubectl apply -n` gives. */
  namespace?: string;
  /** The Gateway the HTTPRoutes attach to (`name` or `namespace/name`). */
  gateway: string;
  /** Host names the routes answer for (HTTPRoute `hostnames`, VirtualService `hosts` at a gateway). */
  hostnames: string[];
  /** Traffic routing under Argo Rollouts and Flagger. */
  routing: 'gateway-api' | 'istio';
  /** Image of the facade itself (`kubernetes` target). */
  image: string;
  replicas: number;
  /** The Prometheus the argo-rollouts and flagger analyses query. */
  prometheus: string;
}

export const DEFAULT_OPTIONS: ExportOptions = { gateway: 'strangler', hostnames: [], routing: 'gateway-api', image: 'strangler:latest', replicas: 3, prometheus: 'http://prometheus.monitoring:9090' };

/** An upstream of the config (legacy or a service) as a Kubernetes Service. */
export interface Backend {
  /** `legacy` or the service's key in `services`. */
  key: string;
  upstream: Upstream;
  /** The Kubernetes Service name (DNS label). */
  name: string;
  port: number;
  scheme: 'http' | 'https';
  urls: URL[];
  /** The name came from the URL's host (a cluster DNS name), not from the config key. */
  named: boolean;
}

export interface ExportInput {
  config: FacadeConfig;
  /** The config as written (no defaults filled in), for targets that carry the file itself. */
  raw: unknown;
  /** Where the config came from, for the header of every output. */
  source: string;
  legacy: Backend;
  services: ReadonlyMap<string, Backend>;
  options: ExportOptions;
}

/** A DNS-1123 label: lower case letters, digits and `-`, at most 63 characters. */
export function dnsLabel(s: string): string {
  const label = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label === '' ? 'x' : label;
}

/**
 * The Service name of an upstream: the first label of its URL's host when that is a cluster DNS
 * name (`http://reviews.shop.svc:8080` → `reviews`), else its key in the config (a loopback or IP
 * address means nothing inside a cluster).
 */
function backendOf(key: string, upstream: Upstream): Backend {
  const urls = upstream.urls.map((u) => new URL(u));
  const first = urls[0];
  const host = first.hostname.replace(/^\[|\]$/g, '');
  const named = isIP(host) === 0 && host !== 'localhost';
  const name = dnsLabel(named ? host.split('.')[0] : key);
  const scheme = first.protocol === 'https:' ? 'https' : 'http';
  const port = first.port ? Number(first.port) : scheme === 'https' ? 443 : 80;
  return { key, upstream, name, port, scheme, urls, named };
}

export function buildInput(config: FacadeConfig, raw: unknown, source: string, options: ExportOptions): ExportInput {
  const legacy = backendOf('legacy', config.legacy);
  const services = new Map<string, Backend>();
  const taken = new Map<string, string>([[legacy.name, 'legacy']]);
  for (const [key, upstream] of Object.entries(config.services)) {
    const b = backendOf(key, upstream);
    const other = taken.get(b.name);
    if (other !== undefined && other !== key) {
      // Two upstreams on one cluster name (two loopback ports of one host, say) stay apart.
      b.name = dnsLabel(`${b.name}-${key}`);
    }
    taken.set(b.name, key);
    services.set(key, b);
  }
  return { config, raw, source, legacy, services, options };
}

/** The defaults of every optional setting, to tell which settings a config changed. */
export const CONFIG_DEFAULTS: FacadeConfig = FacadeConfigSchema.parse({ legacy: 'http://127.0.0.1:1' });
