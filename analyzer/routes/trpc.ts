/**
 * tRPC: what `initTRPC`, its routers and procedures, and the adapters that serve them over HTTP do,
 * as far as routes go. A procedure is served at `<mount>/<dotted.path>` by the tRPC adapters
 * (`@trpc/server/adapters/*`), and, when its meta says `openapi: { method, path }`, as a REST route at
 * `<mount><path>` by trpc-openapi / trpc-to-openapi's handlers.
 */
import type { Warning } from '../types';
import type { Host } from './http';
import { DYNAMIC } from './paths';
import { str, UNDEF, UNKNOWN, type Origin, type Slot, type TrpcHandler, type TrpcProc, type Value } from './values';

/** The packages whose calls are modelled here. */
export const TRPC_PACKAGES = new Set(['@trpc/server', 'trpc-openapi', 'trpc-to-openapi']);

/** Procedure builder methods that change nothing a route depends on. */
const BUILDER_METHODS = new Set(['input', 'output', 'use', 'concat', 'unstable_concat', 'experimental_caller']);
const PROCEDURE_TYPES = new Set(['query', 'mutation', 'subscription']);

/** Stands for the object `initTRPC...create()` returns (`t`): its `router`, `procedure`, `mergeRouters`. */
const T_OBJECT = '#t';

const arg = (host: Host, args: Slot[], i: number): Value => (args[i] === undefined ? UNDEF : host.force(args[i]));

/** A call of something `@trpc/server`, trpc-openapi or trpc-to-openapi exports (or of `t`'s members); undefined if it means nothing here. */
export function callTrpcPackage(host: Host, fn: Value & { t: 'pkg' }, args: Slot[], site: Origin): Value | undefined {
  const path = fn.path[0] === 'default' ? fn.path.slice(1) : fn.path;
  const last = path[path.length - 1];
  if (fn.spec === '@trpc/server') {
    // initTRPC.context<C>().meta<M>().create()
    if (path[0] === 'initTRPC') return { t: 'pkg', spec: fn.spec, path: last === 'create' ? [T_OBJECT] : ['initTRPC'] };
    if (path[0] === T_OBJECT && path[1] === 'procedure' && path.length > 2) return procMethod(host, { t: 'trpcProc', metas: [] }, last, args, site);
    if ((path[0] === T_OBJECT && path.length === 2) || path.length === 1) {
      if (last === 'router') return { t: 'trpcRouter', parts: [arg(host, args, 0)] };
      if (last === 'mergeRouters') return { t: 'trpcRouter', parts: args.map((a) => host.force(a)) };
    }
    return undefined;
  }
  const openapi = fn.spec === 'trpc-openapi' || fn.spec === 'trpc-to-openapi';
  // an adapter: createExpressMiddleware, createHTTPHandler, fetchRequestHandler; createOpenApiExpressMiddleware, createOpenApiHttpHandler, ...
  if (openapi ? !/^createOpenApi/.test(last ?? '') : !fn.spec.startsWith('@trpc/server/adapters/')) return undefined;
  const opts = arg(host, args, 0);
  // the standalone server listens itself, at its `basePath`
  const base = fn.spec === '@trpc/server/adapters/standalone' && last === 'createHTTPServer' ? host.member(opts, 'basePath') : undefined;
  return handler(host, opts, openapi, site, base && (base.t === 'str' ? base : str('/')));
}

function handler(host: Host, opts: Value, openapi: boolean, site: Origin, at?: Value): TrpcHandler | undefined {
  const router = host.member(opts, 'router');
  if (router.t !== 'trpcRouter') return undefined;
  const endpoint = at ?? host.member(opts, 'endpoint');
  const h: TrpcHandler = { t: 'trpcHandler', router, openapi, site, run: host.run, ...(endpoint.t === 'str' ? { endpoint: endpoint.alts } : {}) };
  host.trpcHandlers.push(h);
  return h;
}

/** `server.register(fastifyTRPCPlugin, { prefix, trpcOptions: { router } })`, trpc-openapi's `fastifyTRPCOpenApiPlugin` with `{ basePath, router }`. */
export function fastifyTrpcPlugin(host: Host, plugin: Value & { t: 'pkg' }, options: Value, site: Origin): { handler: TrpcHandler; prefixes: string[] } | undefined {
  const name = plugin.path[plugin.path.length - 1];
  if (plugin.spec.startsWith('@trpc/server/adapters/fastify') && name === 'fastifyTRPCPlugin') {
    // its `prefix` is the plugin scope's own, which `register` applies
    const h = handler(host, host.member(options, 'trpcOptions'), false, site);
    return h && { handler: h, prefixes: [''] };
  }
  if ((plugin.spec === 'trpc-openapi' || plugin.spec === 'trpc-to-openapi') && name === 'fastifyTRPCOpenApiPlugin') {
    const h = handler(host, options, true, site);
    const base = host.member(options, 'basePath');
    return h && { handler: h, prefixes: base.t === 'str' ? base.alts : [''] };
  }
  return undefined;
}

/** `proc.meta(m)`, `.input(...)`, `.use(...)`, `.query(fn)`: a new builder each time (builders are shared: `publicProcedure`). */
export function procMethod(host: Host, recv: TrpcProc, name: string, args: Slot[], site: Origin): Value {
  if (name === 'meta') return { ...recv, metas: [...recv.metas, ...(args[0] === undefined ? [] : [{ meta: args[0], site }])] };
  if (BUILDER_METHODS.has(name)) return recv;
  if (PROCEDURE_TYPES.has(name)) return { ...recv, type: name as TrpcProc['type'], site };
  return UNKNOWN;
}

/** One route a tRPC handler serves. */
export interface TrpcRoute {
  method: string;
  /** Relative to where the handler is mounted. */
  path: string;
  module: string;
  line: number;
}

/** What the forcing needs: the interpreter's `force` and `member`. */
type Reader = Pick<Host, 'force' | 'member'>;

/** How deep routers nest, and how many procedures one handler serves, before the rest is left out. */
const MAX_NESTING = 12;
const MAX_PROCEDURES = 4096;

/**
 * The procedures a router holds, by dotted path: records' members that are procedures, routers and
 * plain objects (sub-routers written in place) followed; a record merged later wins.
 */
function procedures(rd: Reader, router: Value): { path: string; proc: TrpcProc; where?: { mod: string; line: number } }[] {
  const out = new Map<string, { path: string; proc: TrpcProc; where?: { mod: string; line: number } }>();
  const walk = (v: Value, prefix: string, depth: number): void => {
    if (depth > MAX_NESTING || out.size >= MAX_PROCEDURES) return;
    if (v.t === 'trpcRouter') for (const part of v.parts) walk(part, prefix, depth + 1);
    else if (v.t === 'obj') {
      for (const [key, slot] of v.props) {
        const item = rd.force(slot);
        const path = prefix ? `${prefix}.${key}` : key;
        if (item.t === 'trpcProc') {
          if (item.type) out.set(path, { path, proc: item, where: v.where?.get(key) });
        } else walk(item, path, depth + 1);
      }
    }
  };
  walk(router, '', 0);
  return [...out.values()];
}

const METHOD_OF: Record<string, string> = { query: 'GET', mutation: 'POST' };

/**
 * The routes one handler serves, relative to its mount: every query and mutation at `/<dotted.path>`
 * (subscriptions go over WebSockets or server-sent events, not a route a facade moves), or for an
 * OpenAPI handler every procedure whose meta gives `openapi: { method, path }`, `{param}` written
 * `:param`. A meta the analysis cannot read is a warning at the `.meta(...)` call.
 */
export function trpcRoutes(rd: Reader, h: TrpcHandler, warnings: Warning[]): TrpcRoute[] {
  const routes: TrpcRoute[] = [];
  for (const { path, proc, where } of procedures(rd, h.router)) {
    const site = proc.site as Origin;
    const at = (origin?: { mod: string; line: number }): { module: string; line: number } =>
      origin && origin.mod === site.mod ? { module: site.mod, line: origin.line } : { module: site.mod, line: site.line };
    if (!h.openapi) {
      const method = METHOD_OF[proc.type as string];
      if (method) routes.push({ method, path: `/${path}`, ...at(where) });
      continue;
    }
    const meta = openapiMeta(rd, proc);
    if (meta === 'none') continue;
    if (meta === 'unread') {
      const m = proc.metas[proc.metas.length - 1].site;
      warnings.push({ file: m.mod, line: m.line, code: 'routes-unread-meta', message: `the meta of tRPC procedure ${path} is not read: if it sets openapi, its route is missing from the report` });
      continue;
    }
    const methodOk = meta.method.t === 'str' && meta.method.alts.every((a) => !a.includes(DYNAMIC));
    const pathOk = meta.path.t === 'str' && meta.path.alts.every((a) => !a.includes(DYNAMIC));
    if (!methodOk || !pathOk) {
      warnings.push({ file: meta.site.mod, line: meta.site.line, code: 'routes-unread-meta', message: `the OpenAPI ${!pathOk ? 'path' : 'method'} of tRPC procedure ${path} is not read: its route is missing from the report` });
      continue;
    }
    const origin = meta.path.t === 'str' ? meta.path.origin : undefined;
    for (const m of (meta.method as Value & { t: 'str' }).alts)
      for (const p of (meta.path as Value & { t: 'str' }).alts) routes.push({ method: m.toUpperCase(), path: p.replace(/\{([^}/]+)\}/g, ':$1'), ...at(origin ?? meta.site) });
  }
  return routes;
}

/** The `openapi` member of a procedure's merged metas: 'none' when it has none (or `enabled: false`), 'unread' when a meta is not known. */
function openapiMeta(rd: Reader, proc: TrpcProc): { method: Value; path: Value; site: Origin } | 'none' | 'unread' {
  // tRPC merges metas shallowly: the last one that sets `openapi` wins
  for (let i = proc.metas.length - 1; i >= 0; i--) {
    const { meta, site } = proc.metas[i];
    const v = rd.force(meta);
    if (v.t !== 'obj') return v.t === 'undef' ? 'none' : 'unread';
    const slot = v.props.get('openapi');
    if (slot === undefined) {
      if (v.open) return 'unread';
      continue;
    }
    const o = rd.force(slot);
    if (o.t === 'undef') return 'none';
    if (o.t !== 'obj') return 'unread';
    const enabled = rd.member(o, 'enabled');
    if (enabled.t === 'lit' && enabled.v === false) return 'none';
    return { method: rd.member(o, 'method'), path: rd.member(o, 'path'), site };
  }
  return 'none';
}
