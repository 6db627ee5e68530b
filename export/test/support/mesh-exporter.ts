/**
 * A real HTTP server on loopback that answers /metrics in Prometheus' text format with the series a
 * mesh or gateway would export for canary and stable workloads: counters and histograms the test
 * sets, labelled as the real exporters label them.
 *
 * Istio: the standard metrics `istio_requests_total` and `istio_request_duration_milliseconds`
 * (histogram, ms) with the labels listed in "Istio Standard Metrics"
 * (https://istio.io/latest/docs/reference/config/metrics/: reporter, source_workload,
 * destination_workload, destination_service, destination_service_name, destination_service_namespace,
 * response_code, response_flags, connection_security_policy, ...), and the default buckets of Istio's
 * stats plugin. The gateway reports as `reporter="source"`, the service's sidecar as
 * `reporter="destination"`; a failed connection is a 503 with response flag UF that only the source
 * sees, with the destination workload unknown.
 *
 * Envoy: cluster statistics as Envoy's /stats/prometheus names them with its default tag extractors
 * (https://www.envoyproxy.io/docs/envoy/latest/configuration/upstream/cluster_manager/cluster_stats):
 * `cluster.<name>.upstream_rq_5xx` → `envoy_cluster_upstream_rq_xx{envoy_response_code_class="5",
 * envoy_cluster_name="<name>"}`, `upstream_rq_503` → `envoy_cluster_upstream_rq{envoy_response_code="503"}`,
 * `upstream_rq_total`, and the `upstream_rq_time` histogram (ms, Envoy's default buckets). Cluster
 * names as Contour writes them, `<namespace>_<service>_<port>` (Flagger's contour observer,
 * fluxcd/flagger pkg/metrics/observers/contour.go). Envoy counts `upstream_rq_total` when a connection
 * takes the request (conn_pool_base.cc, onPoolReady), so a failed connection adds a 503 to the classes
 * but nothing to the total and no upstream_rq_time.
 */
import http from 'node:http';
import net from 'node:net';

/** Bucket upper bounds in ms, shared by Istio's stats plugin and Envoy's default histogram buckets. */
export const BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** Requests of one response code; `latency` maps a bucket's upper bound to how many fell in that bucket. */
export interface Answers {
  code: number;
  count: number;
  latency: Record<number, number>;
  /** A connection that failed: the gateway answered 503 itself. */
  connectFailure?: boolean;
}

export interface Side {
  namespace: string;
  service: string;
  /** The workload (Deployment/Rollout) behind it. */
  workload: string;
  answers: Answers[];
}

type Labels = Record<string, string>;

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (l: Labels) => `{${Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`;

class Exposition {
  private types = new Map<string, { type: string; lines: string[] }>();
  add(family: string, type: 'counter' | 'histogram', line: string): void {
    const f = this.types.get(family) ?? { type, lines: [] };
    f.lines.push(line);
    this.types.set(family, f);
  }
  counter(name: string, labels: Labels, value: number): void {
    this.add(name, 'counter', `${name}${labelText(labels)} ${value}`);
  }
  histogram(name: string, labels: Labels, latency: Record<number, number>): void {
    let cumulative = 0;
    let sum = 0;
    for (const le of BUCKETS) {
      const n = latency[le] ?? 0;
      cumulative += n;
      sum += n * le;
      this.add(name, 'histogram', `${name}_bucket${labelText({ ...labels, le: String(le) })} ${cumulative}`);
    }
    const unknown = Object.keys(latency).map(Number).filter((le) => !BUCKETS.includes(le));
    if (unknown.length) throw new Error(`not a bucket bound: ${unknown.join(', ')}`);
    this.add(name, 'histogram', `${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${cumulative}`);
    this.add(name, 'histogram', `${name}_sum${labelText(labels)} ${sum}`);
    this.add(name, 'histogram', `${name}_count${labelText(labels)} ${cumulative}`);
  }
  text(): string {
    return [...this.types].map(([name, f]) => `# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`).join('');
  }
}

const GATEWAY: Labels = {
  source_workload: 'istio-ingressgateway',
  source_workload_namespace: 'istio-system',
  source_principal: 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
  source_app: 'istio-ingressgateway',
  source_version: 'unknown',
  source_canonical_service: 'istio-ingressgateway',
  source_canonical_revision: 'latest',
  source_cluster: 'Kubernetes',
};

function istioSeries(out: Exposition, s: Side): void {
  for (const reporter of ['source', 'destination'] as const) {
    for (const a of s.answers) {
      // The service's own sidecar never sees a connection that failed.
      if (reporter === 'destination' && a.connectFailure) continue;
      const known = !a.connectFailure;
      const labels: Labels = {
        reporter,
        ...GATEWAY,
        destination_workload: known ? s.workload : 'unknown',
        destination_workload_namespace: known ? s.namespace : 'unknown',
        destination_principal: known ? `spiffe://cluster.local/ns/${s.namespace}/sa/${s.workload}` : 'unknown',
        destination_app: known ? s.workload : 'unknown',
        destination_version: 'unknown',
        destination_service: `${s.service}.${s.namespace}.svc.cluster.local`,
        destination_service_name: s.service,
        destination_service_namespace: s.namespace,
        destination_canonical_service: known ? s.workload : 'unknown',
        destination_canonical_revision: 'latest',
        destination_cluster: 'Kubernetes',
        request_protocol: 'http',
        response_code: String(a.code),
        grpc_response_status: '',
        response_flags: a.connectFailure ? 'UF,URX' : '-',
        connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
      };
      out.counter('istio_requests_total', labels, a.count);
      // The sidecar's own duration is shorter than the gateway's: it leaves out the hop to it.
      const latency = reporter === 'source' ? a.latency : { [BUCKETS[0]]: a.count };
      out.histogram('istio_request_duration_milliseconds', labels, latency);
    }
  }
}

function envoySeries(out: Exposition, s: Side): void {
  const cluster = { envoy_cluster_name: `${s.namespace}_${s.service}_8080` };
  const byClass = new Map<string, number>();
  const byCode = new Map<number, number>();
  let total = 0;
  const time: Record<number, number> = {};
  for (const a of s.answers) {
    const cls = String(a.code)[0];
    byClass.set(cls, (byClass.get(cls) ?? 0) + a.count);
    byCode.set(a.code, (byCode.get(a.code) ?? 0) + a.count);
    if (a.connectFailure) continue;
    total += a.count;
    for (const [le, n] of Object.entries(a.latency)) time[Number(le)] = (time[Number(le)] ?? 0) + n;
  }
  for (const [cls, n] of byClass) out.counter('envoy_cluster_upstream_rq_xx', { envoy_response_code_class: cls, ...cluster }, n);
  for (const [code, n] of byCode) out.counter('envoy_cluster_upstream_rq', { envoy_response_code: String(code), ...cluster }, n);
  out.counter('envoy_cluster_upstream_rq_total', cluster, total);
  out.histogram('envoy_cluster_upstream_rq_time', cluster, time);
}

export interface MeshExporter {
  /** host:port to scrape. */
  target: string;
  /** What /metrics answers from now on. */
  serve(sides: Side[]): void;
  close(): Promise<void>;
}

export async function meshExporter(initial: Side[]): Promise<MeshExporter> {
  let sides = initial;
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404;
      res.end();
      return;
    }
    const out = new Exposition();
    for (const s of sides) {
      istioSeries(out, s);
      envoySeries(out, s);
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(out.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    target: `127.0.0.1:${port}`,
    serve: (next) => (sides = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
