/**
 * nginx (open source): the routing decided by variables, so it stays the facade's — routes tried
 * in file order (a map over every route's match bit, first 1 wins), a sticky split per route
 * (`split_clients` on the same user key), the override header, shadow by `mirror` for requests
 * legacy answers, and fallback to legacy as a `backup` server retried by `proxy_next_upstream`
 * for the methods the facade retries. The output goes inside `http { }` (e.g. conf.d/).
 */
import type { RouteConfig, Upstream } from '../../facade/config/schema';
import type { Converter } from '../converter';
import type { Backend, ExportInput } from '../input';
import type { Notes } from '../notes';
import { caseSensitive, pathRegex, retryMethods, routeMethods, shadowMethods } from '../match';
import { stickyDescription } from '../kube';

/** A double-quoted nginx string; `"` and `\` escaped. (`$` is literal in map sources and values written here.) */
const q = (s: string): string => `"${s.replace(/[\\"]/g, '\\$&')}"`;
const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ms = (n: number): string => `${n}ms`;
const alternation = (xs: string[]): string => `(${xs.map(re).join('|')})`;

/** nginx variable names hold letters, digits and `_`; header names map `-` to `_`. */
const headerVar = (name: string): string => `$http_${name.toLowerCase().replace(/-/g, '_')}`;
const okVar = (name: string): boolean => /^[A-Za-z0-9_]+$/.test(name);

interface Groups {
  /** upstream name → its block */
  blocks: string[];
  legacy: string;
  /** service key → group whose backup servers are legacy's */
  withFallback: Map<string, string>;
  /** service key → group of the service alone (shadow copies) */
  alone: Map<string, string>;
  /** group → Host header, URL base path, scheme */
  host: Map<string, string>;
  base: Map<string, string>;
  scheme: Map<string, string>;
}

function servers(input: ExportInput, u: Upstream, b: Backend, backup: boolean): string[] {
  const breaker = { ...input.config.breaker, ...u.breaker };
  // The facade never refuses legacy for health reasons (max_fails=0: never marked down).
  return b.urls.map((url) => `    server ${url.host}${backup ? ' backup max_fails=0' : b.key === 'legacy' ? ' max_fails=0' : ` max_fails=${breaker.failureThreshold} fail_timeout=${Math.max(1, Math.ceil(breaker.windowMs / 1000))}s`};`);
}

function groups(input: ExportInput, notes: Notes): Groups {
  const g: Groups = { blocks: [], legacy: 'strangler_legacy', withFallback: new Map(), alone: new Map(), host: new Map(), base: new Map(), scheme: new Map() };
  const block = (name: string, b: Backend, lines: string[]): void => {
    const balance = b.upstream.balance === 'round-robin' ? [] : ['    least_conn;'];
    g.blocks.push(`upstream ${name} {  # ${b.key}\n${[...balance, ...lines, '    keepalive 32;'].join('\n')}\n}`);
    g.host.set(name, b.urls[0].host);
    g.base.set(name, b.urls[0].pathname === '/' ? '' : b.urls[0].pathname.replace(/\/$/, ''));
    g.scheme.set(name, b.scheme);
  };
  block(g.legacy, input.legacy, servers(input, input.config.legacy, input.legacy, false));
  const used = new Set(input.config.routes.map((r) => r.service));
  const shadowed = new Set(input.config.routes.flatMap((r) => (r.shadow ? [r.shadow.service ?? r.service] : [])));
  for (const b of input.services.values()) {
    const id = b.key.replace(/[^A-Za-z0-9_]/g, '_');
    if (used.has(b.key)) {
      const name = `strangler_service_${id}`;
      const mixed = b.scheme !== input.legacy.scheme;
      if (mixed) notes.add(null, `${b.key} is ${b.scheme} and legacy ${input.legacy.scheme}: one nginx upstream cannot hold both, so ${b.key}'s requests do not fall back to legacy`);
      block(name, b, [...servers(input, b.upstream, b, false), ...(mixed ? [] : servers(input, input.config.legacy, input.legacy, true))]);
      g.withFallback.set(b.key, name);
    }
    if (shadowed.has(b.key)) {
      const name = `strangler_shadow_${id}`;
      block(name, b, servers(input, b.upstream, b, false));
      g.alone.set(b.key, name);
    }
  }
  return g;
}

/** `$strangler_key`: the first sticky key present, else the client address. */
function stickyKeyMaps(input: ExportInput, notes: Notes): string[] {
  const keys = input.config.sticky.keys;
  const out: string[] = [];
  let next = '$remote_addr';
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i];
    const name = i === 0 ? '$strangler_key' : `$strangler_key_${i}`;
    let source: string | null;
    if ('ip' in k) source = null;
    else if ('header' in k) source = headerVar(k.header);
    else if (okVar(k.cookie)) source = `$cookie_${k.cookie}`;
    else {
      notes.add(null, `sticky key cookie "${k.cookie}": nginx has no variable for a cookie name with characters other than letters, digits and _; it is skipped`);
      source = null;
      if (i === 0) out.unshift(`map $remote_addr $strangler_key { default ${next}; }`);
      continue;
    }
    if (source === null) {
      next = '$remote_addr';
      if (i === 0) out.unshift('map $remote_addr $strangler_key { default $remote_addr; }');
      continue;
    }
    out.unshift(`map ${source} ${name} {\n    "" ${next};\n    default ${source};\n}`);
    next = name;
  }
  return out;
}

/** `$strangler_match_<i>`: 1 when route i matches (path, methods, headers), as the facade's table does. */
function matchMaps(route: RouteConfig, i: number): string[] {
  const out: string[] = [];
  const bits: string[] = [];
  const flag = caseSensitive(route) ? '~' : '~*';
  out.push(`map $uri $strangler_path_${i} {\n    ${q(flag + pathRegex(route))} 1;\n    default 0;\n}`);
  bits.push(`$strangler_path_${i}`);
  const methods = routeMethods(route);
  if (methods) {
    out.push(`map $request_method $strangler_method_${i} {\n    ${q(`~^${alternation(methods)}$`)} 1;\n    default 0;\n}`);
    bits.push(`$strangler_method_${i}`);
  }
  Object.entries(route.match.headers ?? {}).forEach(([name, value], h) => {
    out.push(`map ${headerVar(name)} $strangler_header_${i}_${h} {\n    ${q(`~^${re(value)}$`)} 1;\n    default 0;\n}`);
    bits.push(`$strangler_header_${i}_${h}`);
  });
  if (bits.length > 1) out.push(`map "${bits.join('')}" $strangler_match_${i} {\n    ${q('1'.repeat(bits.length))} 1;\n    default 0;\n}`);
  else out.push(`map $strangler_path_${i} $strangler_match_${i} {\n    default $strangler_path_${i};\n}`);
  return out;
}

function body(input: ExportInput, notes: Notes): string {
  const { config } = input;
  const routes = config.routes;
  const g = groups(input, notes);
  const out: string[] = [];
  const section = (title: string, lines: string[]): void => {
    if (lines.length) out.push(`# ${title}`, ...lines, '');
  };
  section('--- upstreams: each service with legacy as its backup (unhealthy or failing service -> legacy)', g.blocks);
  section(`--- the sticky key: ${stickyDescription(input)}`, stickyKeyMaps(input, notes));
  section('--- which route matched: tried in file order, the first match wins', [
    ...routes.flatMap((r, i) => matchMaps(r, i)),
    `map "${routes.map((_, i) => `$strangler_match_${i}`).join('') || '0'}" $strangler_route {\n${routes.map((r, i) => `    ${q(`~^${'0'.repeat(i)}1`)} ${q(r.name)};`).join('\n')}${routes.length ? '\n' : ''}    default "";\n}`,
  ]);
  section(
    '--- the side: override header, else the sticky split of the route\'s weight (same key, same side)',
    [
      ...routes.map((r, i) => {
        const pct = Math.round(r.weight * 100) / 100;
        const lines = pct <= 0 ? ['    * legacy;'] : pct >= 100 ? ['    * service;'] : [`    ${pct}% service;`, '    * legacy;'];
        return `split_clients "${r.name}:$strangler_key" $strangler_split_${i} {\n${lines.join('\n')}\n}`;
      }),
      `map $strangler_route $strangler_weighted {\n${routes.map((r, i) => `    ${q(`~^${re(r.name)}$`)} $strangler_split_${i};`).join('\n')}${routes.length ? '\n' : ''}    default legacy;\n}`,
      ...(config.override.enabled
        ? [
            `map "$strangler_route:${headerVar(config.override.header)}" $strangler_forced {\n${routes
              .flatMap((r) => [`    ${q(`~^${re(r.name)}:legacy$`)} legacy;`, `    ${q(`~^${re(r.name)}:${alternation([...new Set(['service', r.service])])}$`)} service;`])
              .join('\n')}\n    default "";\n}`,
            'map $strangler_forced $strangler_side {\n    "" $strangler_weighted;\n    default $strangler_forced;\n}',
          ]
        : ['map $strangler_weighted $strangler_side {\n    default $strangler_weighted;\n}']),
    ],
  );
  section('--- where it goes; requests the facade would not retry on legacy skip proxy_next_upstream (@strangler_once)', [
    `map "$strangler_route:$strangler_side" $strangler_upstream {\n${routes.map((r) => `    ${q(`~^${re(r.name)}:service$`)} ${g.withFallback.get(r.service)};`).join('\n')}${routes.length ? '\n' : ''}    default ${g.legacy};\n}`,
    `map "$strangler_route:$strangler_side:$request_method" $strangler_retry {\n${routes
      .flatMap((r) => [
        `    ${q(`~^${re(r.name)}:service:${alternation(r.fallback ? retryMethods(r) : [])}$`)} 1;`,
        `    ${q(`~^${re(r.name)}:legacy:${alternation(retryMethods(r))}$`)} 1;`,
      ])
      .filter((l) => !l.includes(':()$'))
      .join('\n')}${routes.length ? '\n' : ''}    "~^::(GET|HEAD|OPTIONS)$" 1;\n    default 0;\n}`,
    ...(['host', 'base', 'scheme'] as const).map((k) => {
      const m = g[k];
      return `map $strangler_upstream $strangler_upstream_${k} {\n${[...m.entries()].map(([name, v]) => `    ${q(`~^${name}$`)} ${q(v)};`).join('\n')}\n    default "";\n}`;
    }),
  ]);
  const shadowed = routes.map((r, i) => ({ r, i })).filter(({ r }) => r.shadow && shadowMethods(r).length);
  if (shadowed.length) {
    section('--- shadow: a copy of the requests legacy answers, for the shadowed methods and percent', [
      ...shadowed.map(({ r, i }) => {
        const pct = Math.round(r.shadow!.percent * 100) / 100;
        const lines = pct <= 0 ? ['    * 0;'] : pct >= 100 ? ['    * 1;'] : [`    ${pct}% 1;`, '    * 0;'];
        return `split_clients "$request_id" $strangler_shadow_roll_${i} {\n${lines.join('\n')}\n}`;
      }),
      `map $strangler_route $strangler_shadow_roll {\n${shadowed.map(({ r, i }) => `    ${q(`~^${re(r.name)}$`)} $strangler_shadow_roll_${i};`).join('\n')}\n    default 0;\n}`,
      `map "$strangler_route:$strangler_side:$request_method:$strangler_shadow_roll" $strangler_mirror {\n${shadowed
        .map(({ r }) => `    ${q(`~^${re(r.name)}:legacy:${alternation(shadowMethods(r))}:1$`)} ${g.alone.get(r.shadow!.service ?? r.service)};`)
        .join('\n')}\n    default "";\n}`,
      `map $strangler_m $strangler_mirror_scheme {\n${[...g.alone.values()].map((n) => `    ${q(`~^${n}$`)} ${g.scheme.get(n)};`).join('\n')}\n    default http;\n}`,
      `map $strangler_m $strangler_mirror_host {\n${[...g.alone.values()].map((n) => `    ${q(`~^${n}$`)} ${q(g.host.get(n)!)};`).join('\n')}\n    default "";\n}`,
    ]);
  }
  const trusted = config.trustedProxies;
  section('--- headers the facade sets', [
    'map $http_upgrade $strangler_connection {\n    "" "";\n    default upgrade;\n}',
    'map $http_x_request_id $strangler_request_id {\n    "" $request_id;\n    "~^.{201,}$" $request_id;\n    default $http_x_request_id;\n}',
    ...(trusted.length
      ? [
          `geo $realip_remote_addr $strangler_trusted_peer {\n    default 0;\n${trusted.map((t) => `    ${t} 1;`).join('\n')}\n}`,
          'map "$strangler_trusted_peer:$http_x_forwarded_for" $strangler_xff {\n    "~^1:." "$http_x_forwarded_for, $realip_remote_addr";\n    default $realip_remote_addr;\n}',
        ]
      : ['map $remote_addr $strangler_xff {\n    default $remote_addr;\n}']),
    `log_format strangler escape=json '{"time":"$time_iso8601","requestId":"$strangler_request_id","method":"$request_method","path":"$uri","route":"$strangler_route","side":"$strangler_side","status":$status,"ms":$request_time,"upstream":"$upstream_addr"}';`,
  ]);
  const { limits } = config;
  const mirrorTimeout = Math.max(...shadowed.map(({ r }) => r.shadow!.timeoutMs), 1);
  const proxy = (indent: string): string[] =>
    [
      'proxy_pass $strangler_upstream_scheme://$strangler_upstream$strangler_upstream_base$request_uri;',
      'proxy_http_version 1.1;',
      'proxy_set_header Host $strangler_upstream_host;',
      'proxy_set_header Connection $strangler_connection;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header X-Forwarded-For $strangler_xff;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Forwarded-Host $host;',
      'proxy_set_header X-Real-IP "";',
      'proxy_set_header Forwarded "";',
      'proxy_set_header X-Request-Id $strangler_request_id;',
      'add_header X-Request-Id $strangler_request_id always;',
      ...(shadowed.length ? ['mirror /_strangler_mirror;', 'mirror_request_body on;'] : []),
    ].map((l) => indent + l);
  const nonIdempotent = routes.some((r) => r.safeMethods.some((m) => m === 'POST' || m === 'PATCH'));
  const trustedLines = trusted.length ? [...trusted.map((t) => `    set_real_ip_from ${t};`), '    real_ip_header X-Forwarded-For;', '    real_ip_recursive on;'] : [];
  out.push(
    'server {',
    `    listen ${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port};`,
    '    server_name _;',
    `    client_max_body_size ${limits.maxBodyBytes};`,
    `    client_header_timeout ${ms(limits.headersTimeoutMs)};`,
    `    client_body_timeout ${ms(limits.requestTimeoutMs)};`,
    `    keepalive_timeout ${ms(limits.keepAliveTimeoutMs)};`,
    `    large_client_header_buffers 4 ${Math.max(1, Math.ceil(limits.maxHeaderBytes / 1024))}k;`,
    '    proxy_connect_timeout 5s;',
    `    proxy_read_timeout ${ms(limits.upstreamTimeoutMs)};`,
    ...trustedLines,
    '',
    '    location / {',
    // Evaluated here, in the main request: the mirror subrequest shares these values.
    '        set $strangler_r $strangler_route;',
    '        set $strangler_s $strangler_side;',
    ...(shadowed.length ? ['        set $strangler_m $strangler_mirror;'] : []),
    '        error_page 418 = @strangler_once;',
    '        if ($strangler_retry = 0) {',
    '            return 418;',
    '        }',
    `        proxy_next_upstream error timeout http_500 http_502 http_503 http_504${nonIdempotent ? ' non_idempotent' : ''};`,
    ...proxy('        '),
    '    }',
    '',
    '    location @strangler_once {',
    '        set $strangler_r $strangler_route;',
    '        set $strangler_s $strangler_side;',
    ...(shadowed.length ? ['        set $strangler_m $strangler_mirror;'] : []),
    '        proxy_next_upstream off;',
    ...proxy('        '),
    '    }',
  );
  if (shadowed.length)
    out.push(
      '',
      '    location = /_strangler_mirror {',
      '        internal;',
      '        if ($strangler_m = "") {',
      '            return 204;',
      '        }',
      '        proxy_pass $strangler_mirror_scheme://$strangler_m$request_uri;',
      '        proxy_http_version 1.1;',
      '        proxy_set_header Host $strangler_mirror_host;',
      '        proxy_set_header Connection "";',
      '        proxy_set_header x-strangler-shadow 1;',
      '        proxy_set_header Accept-Encoding identity;',
      '        proxy_set_header X-Request-Id $strangler_request_id;',
      '        proxy_next_upstream off;',
      `        proxy_connect_timeout ${ms(Math.min(mirrorTimeout, 5000))};`,
      `        proxy_read_timeout ${ms(mirrorTimeout)};`,
      `        proxy_send_timeout ${ms(mirrorTimeout)};`,
      '    }',
    );
  out.push('}');
  return out.join('\n') + '\n';
}

function nginxNotes(input: ExportInput, notes: Notes): void {
  const { config } = input;
  if (config.routes.some((r) => r.weight > 0 && r.weight < 100))
    notes.add(null, 'split_clients hashes the user key with MurmurHash2, not the facade\'s FNV-1a: each user is sticky and the shares hold, but a given user may be on the other side than on the facade');
  if (config.routes.some((r) => r.fallback)) {
    notes.add(null, 'fallback: only 500, 502, 503 and 504 (and connection errors, timeouts) are retried on legacy; the facade retries any 5xx');
    if (config.routes.some((r) => (input.services.get(r.service)?.urls.length ?? 0) > 1)) notes.add(null, 'fallback: nginx tries the other instances of the service before legacy (the facade goes to legacy at once)');
  }
  if (input.legacy.urls.length > 1) notes.add(null, 'legacy: a replayable request that fails with a 5xx or a timeout is retried on another legacy instance (the facade retries only refused connections there)');
  notes.add(null, 'health checks: active checks are nginx Plus only; a failing service is taken out passively (max_fails/fail_timeout from the breaker settings)');
  const b = config.breaker;
  if (b.cooldownMs !== b.windowMs) notes.add(null, `breaker: nginx keeps a failed server out for fail_timeout (${b.windowMs} ms, the breaker window), not cooldownMs (${b.cooldownMs} ms), and has no half-open probe`);
  const timeouts = [['legacy', config.legacy] as const, ...Object.entries(config.services)].filter(([, u]) => u.timeoutMs !== undefined);
  if (timeouts.length) notes.add(null, `per-upstream timeouts (${timeouts.map(([k, u]) => `${k} ${u.timeoutMs} ms`).join(', ')}): nginx uses limits.upstreamTimeoutMs (${config.limits.upstreamTimeoutMs} ms) for all`);
  for (const r of config.routes) {
    if (!r.shadow) continue;
    notes.add(r.name, 'shadow: the mirrored answers are discarded, not compared with legacy\'s');
    notes.add(r.name, `shadow: the copy is sent alongside the request, not after legacy answered, and nginx finishes the client's request only once the copy is done (bounded by the shadow timeout, ${r.shadow.timeoutMs} ms)`);
    notes.add(r.name, `shadow: maxBodyBytes (${r.shadow.maxBodyBytes}) and shedUnderLoad are not expressible; every selected request is mirrored with its body`);
  }
  notes.add(null, 'no admin API or Prometheus metrics: change weights in this file and `nginx -s reload`; the strangler log_format logs route and side per request');
}

export const nginx: Converter = {
  target: 'nginx',
  file: 'nginx-strangler.conf',
  summary: 'nginx (http context): sticky split_clients, override header, mirror for shadow, proxy_next_upstream fallback',
  convert(input, notes) {
    nginxNotes(input, notes);
    const text = body(input, notes);
    return `# Include inside http { } (e.g. /etc/nginx/conf.d/); to log route and side: access_log <file> strangler;\n\n${text}`;
  },
};
