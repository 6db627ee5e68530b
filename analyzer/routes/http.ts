/**
 * What the HTTP frameworks' own functions do, as far as routes go: which calls make an app or a
 * router, which register a route, which mount one router in another (express, Koa with koa-router and
 * koa-mount, Fastify with its plugins, Hono), plus the Nest and GraphQL calls that configure where
 * routes are served.
 */
import { GRAPHQL_SERVERS, packageOf } from './frameworks';
import { callTrpcPackage, fastifyTrpcPlugin, procMethod, TRPC_PACKAGES } from './trpc';
import { pathsOf, str, UNDEF, UNKNOWN, type Framework, type NestSettings, type Origin, type RouterObj, type Slot, type TrpcHandler, type Value } from './values';

/** What the interpreter offers the framework semantics. */
export interface Host {
  readonly nest: NestSettings;
  /** tRPC adapters' handlers made, mounted or not. */
  readonly trpcHandlers: TrpcHandler[];
  /** The run (main, or a function nobody called) being interpreted. */
  readonly run: number;
  force(s: Slot): Value;
  member(v: Value, name: string): Value;
  exported(mod: string, name: string, depth: number): Value;
  callValue(fn: Value, self: Value | undefined, args: Slot[], site: Origin): Value;
  escape(args: Slot[]): Value;
  newRouter(fw: Framework, kind: 'app' | 'router'): RouterObj;
  addRoute(r: RouterObj, method: string, path: Value, site: Origin): void;
  mount(parent: RouterObj, prefixes: string[], child: Value): void;
}

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);
/** The global functions modelled (what else a global does is unknown). */
const BUILTINS = new Set(['Object.keys', 'Object.values', 'Object.entries', 'Object.assign', 'Object.freeze', 'Promise.resolve', 'Promise.all', 'Promise.allSettled', 'Array.from']);

function arg(host: Host, args: Slot[], i: number): Value {
  return args[i] === undefined ? UNDEF : host.force(args[i]);
}

function router(host: Host, fw: Framework, kind: 'app' | 'router'): Value {
  return { t: 'router', r: host.newRouter(fw, kind) };
}

/** A call (or `new`) of something a package exports. */
export function callPackage(host: Host, fn: Value & { t: 'pkg' }, args: Slot[], site: Origin): Value | undefined {
  const pkg = packageOf(fn.spec) ?? fn.spec;
  const path = fn.path[0] === 'default' ? fn.path.slice(1) : fn.path;
  const last = path[path.length - 1];
  const whole = path.length === 0;
  switch (pkg) {
    case 'express':
      if (whole) return router(host, 'express', 'app');
      if (last === 'Router' && path.length === 1) return router(host, 'express', 'router');
      return undefined;
    case 'koa':
      return whole || last === 'Koa' ? router(host, 'koa', 'app') : undefined;
    case 'koa-router':
    case '@koa/router': {
      if (!whole && last !== 'Router' && last !== 'KoaRouter') return undefined;
      const r = host.newRouter('koa', 'router');
      const opts = arg(host, args, 0);
      const prefix = opts.t === 'obj' ? host.member(opts, 'prefix') : UNDEF;
      if (prefix.t === 'str') r.prefix = prefix.alts[0];
      return { t: 'router', r };
    }
    case 'koa-mount': {
      if (!whole) return undefined;
      const first = arg(host, args, 0);
      if (args.length >= 2 && first.t === 'str') return { t: 'mounted', prefix: first.alts[0], child: arg(host, args, 1) };
      return { t: 'mounted', prefix: '', child: first };
    }
    case 'fastify':
      return whole || last === 'fastify' || last === 'Fastify' ? router(host, 'fastify', 'app') : undefined;
    case 'fastify-plugin':
      return whole || last === 'fp' ? { t: 'plugin', fn: arg(host, args, 0) } : undefined;
    case 'hono':
      return last === 'Hono' ? router(host, 'hono', 'app') : undefined;
    case '@nestjs/core':
      if (path.join('.') === 'NestFactory.create') {
        const root = arg(host, args, 0);
        host.nest.roots.push(root);
        return { t: 'nest', root };
      }
      if (path.join('.') === 'RouterModule.register') return { t: 'nestModule', spec: pkg, path, args: args.map((a) => host.force(a)) };
      return undefined;
    case 'nest-router':
      return path.join('.') === 'RouterModule.forRoutes' ? { t: 'nestModule', spec: '@nestjs/core', path: ['RouterModule', 'register'], args: args.map((a) => host.force(a)) } : undefined;
    case '@nestjs/graphql':
      return path[0] === 'GraphQLModule' && (last === 'forRoot' || last === 'forRootAsync') ? { t: 'nestModule', spec: pkg, path, args: args.map((a) => host.force(a)) } : undefined;
    case '#global':
      return builtin(host, path.join('.'), args);
    default:
      if (TRPC_PACKAGES.has(pkg)) return callTrpcPackage(host, fn, args, site);
      // a GraphQL server or its HTTP middleware: what it is mounted on serves the API
      return GRAPHQL_SERVERS.has(pkg) ? { t: 'gql' } : undefined;
  }
}


function builtin(host: Host, name: string, args: Slot[]): Value | undefined {
  if (!BUILTINS.has(name)) return host.escape(args);
  const a = arg(host, args, 0);
  switch (name) {
    case 'Object.keys':
      return a.t === 'obj' ? { t: 'arr', items: [...a.props.keys()].map((k) => str(k)), ...(a.open ? { open: true as const } : {}) } : UNKNOWN;
    case 'Object.values':
      return a.t === 'obj' ? { t: 'arr', items: [...a.props.values()].map((s) => host.force(s)), ...(a.open ? { open: true as const } : {}) } : UNKNOWN;
    case 'Object.entries':
      return a.t === 'obj' ? { t: 'arr', items: [...a.props].map(([k, s]) => ({ t: 'arr', items: [str(k), host.force(s)] }) as Value), ...(a.open ? { open: true as const } : {}) } : UNKNOWN;
    case 'Object.assign': {
      if (a.t !== 'obj') return UNKNOWN;
      for (const s of args.slice(1)) {
        const v = host.force(s);
        if (v.t === 'obj') for (const [k, slot] of v.props) a.props.set(k, slot);
        else a.open = true;
      }
      return a;
    }
    case 'Object.freeze':
    case 'Promise.resolve':
      return a;
    case 'Promise.all':
    case 'Promise.allSettled':
    case 'Array.from':
      return a.t === 'arr' ? a : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** `recv.name(args)` where `recv` is an app, a router, a Nest app or a GraphQL server; undefined if it means nothing here. */
export function routerMethod(host: Host, recv: Value, name: string, args: Slot[], site: Origin): Value | undefined {
  switch (recv.t) {
    case 'nest':
      if (name === 'setGlobalPrefix') host.nest.globalPrefixes.push({ prefix: arg(host, args, 0), options: arg(host, args, 1) });
      else if (name === 'enableVersioning') host.nest.versioning.push(arg(host, args, 0));
      else return UNKNOWN;
      return recv;
    case 'gql': {
      // apollo-server 2/3: server.applyMiddleware({ app, path })
      if (name !== 'applyMiddleware' && name !== 'getMiddleware') return UNKNOWN;
      const opts = arg(host, args, 0);
      const app = host.member(opts, 'app');
      const path = host.member(opts, 'path');
      if (app.t === 'router') host.mount(app.r, path.t === 'str' ? path.alts : ['/graphql'], recv);
      return name === 'getMiddleware' ? recv : UNKNOWN;
    }
    case 'trpcProc':
      return procMethod(host, recv, name, args, site);
    case 'chain':
      if (!VERBS.has(name)) return UNKNOWN;
      host.addRoute(recv.r, name.toUpperCase(), recv.path, site);
      return recv;
    case 'router':
      break;
    default:
      return UNKNOWN;
  }
  const r = recv.r;
  switch (r.fw) {
    case 'express':
      if (VERBS.has(name)) {
        // app.get('env') reads a setting
        if (args.length < 2) return UNKNOWN;
        host.addRoute(r, name.toUpperCase(), arg(host, args, 0), site);
        return recv;
      }
      if (name === 'route') return { t: 'chain', r, path: arg(host, args, 0) };
      if (name === 'use') use(host, r, args);
      return name === 'use' ? recv : UNKNOWN;
    case 'koa':
      return koaMethod(host, recv, r, name, args, site);
    case 'fastify':
      return fastifyMethod(host, recv, r, name, args, site);
    case 'hono':
      return honoMethod(host, recv, r, name, args, site);
  }
}

/** `use([path | paths], ...handlers)`: the routers among the handlers are mounted under the paths. */
function use(host: Host, r: RouterObj, args: Slot[]): void {
  const first = arg(host, args, 0);
  const isPath = first.t === 'str' || (first.t === 'arr' && first.items.length > 0 && first.items.every((i) => i.t === 'str'));
  const prefixes = isPath ? pathsOf(first, (s) => host.force(s)) : [''];
  for (const a of args.slice(isPath ? 1 : 0)) host.mount(r, prefixes, host.force(a));
}

function koaMethod(host: Host, recv: Value, r: RouterObj, name: string, args: Slot[], site: Origin): Value {
  if (r.kind === 'app') {
    if (name === 'use') for (const a of args) host.mount(r, [''], host.force(a));
    return name === 'use' ? recv : UNKNOWN;
  }
  if (VERBS.has(name) || name === 'del') {
    if (args.length < 2) return UNKNOWN;
    // router.get('name', '/path', handler): a named route
    const second = arg(host, args, 1);
    const path = args.length >= 3 && second.t === 'str' ? second : arg(host, args, 0);
    host.addRoute(r, name === 'del' ? 'DELETE' : name.toUpperCase(), path, site);
    return recv;
  }
  switch (name) {
    case 'use':
      use(host, r, args);
      return recv;
    case 'routes':
    case 'middleware':
      return { t: 'routes', r };
    case 'prefix': {
      const p = arg(host, args, 0);
      if (p.t === 'str') r.prefix = p.alts[0];
      return recv;
    }
    case 'register': {
      const methods = arg(host, args, 1);
      const list = methods.t === 'arr' ? methods.items : [methods];
      for (const m of list) if (m.t === 'str') for (const alt of m.alts) host.addRoute(r, alt.toUpperCase(), arg(host, args, 0), site);
      return UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

function fastifyMethod(host: Host, recv: Value, r: RouterObj, name: string, args: Slot[], site: Origin): Value {
  if (VERBS.has(name)) {
    if (args.length < 2) return UNKNOWN;
    host.addRoute(r, name.toUpperCase(), arg(host, args, 0), site);
    return recv;
  }
  if (name === 'route') {
    const opts = arg(host, args, 0);
    const url = host.member(opts, 'url');
    const path = url.t === 'undef' ? host.member(opts, 'path') : url;
    for (const m of methodsOf(host.member(opts, 'method'), (s) => host.force(s))) host.addRoute(r, m, path, site);
    return recv;
  }
  if (name !== 'register') return UNKNOWN;
  const options = arg(host, args, 1);
  const prefix = options.t === 'obj' ? host.member(options, 'prefix') : UNDEF;
  const prefixes = prefix.t === 'str' ? prefix.alts : [''];
  let plugin = arg(host, args, 0);
  if (plugin.t === 'module') plugin = host.exported(plugin.mod, 'default', 0);
  else if (plugin.t === 'obj' && plugin.props.has('default')) plugin = host.member(plugin, 'default');
  const trpc = plugin.t === 'pkg' ? fastifyTrpcPlugin(host, plugin, options, site) : undefined;
  if (trpc) {
    host.mount(r, prefixes.flatMap((p) => trpc.prefixes.map((q) => `${p}/${q}`)), trpc.handler);
  } else if (plugin.t === 'pkg' && GRAPHQL_SERVERS.has(packageOf(plugin.spec) ?? '')) {
    // mercurius and friends: the API is served at their `path` option, `/graphql` by default
    const path = host.member(options, 'path');
    host.mount(
      r,
      prefixes.flatMap((p) => (path.t === 'str' ? path.alts : ['/graphql']).map((q) => `${p}/${q}`)),
      { t: 'gql' },
    );
  } else if (plugin.t === 'plugin') {
    // fastify-plugin: no scope of its own; its routes land on this instance and `prefix` is ignored
    host.callValue(plugin.fn, undefined, [recv, options, UNKNOWN], site);
  } else if (plugin.t === 'fn') {
    const child = host.newRouter('fastify', 'app');
    host.mount(r, prefixes, { t: 'router', r: child });
    host.callValue(plugin, undefined, [{ t: 'router', r: child }, options, UNKNOWN], site);
  }
  return recv;
}

function honoMethod(host: Host, recv: Value, r: RouterObj, name: string, args: Slot[], site: Origin): Value {
  if (VERBS.has(name)) {
    if (args.length < 2) return UNKNOWN;
    host.addRoute(r, name.toUpperCase(), arg(host, args, 0), site);
    return recv;
  }
  switch (name) {
    case 'on':
      for (const m of methodsOf(arg(host, args, 0), (s) => host.force(s))) host.addRoute(r, m, arg(host, args, 1), site);
      return recv;
    case 'route':
      host.mount(r, pathsOf(arg(host, args, 0), (s) => host.force(s)), arg(host, args, 1));
      return recv;
    case 'basePath': {
      const child = host.newRouter('hono', 'app');
      host.mount(r, pathsOf(arg(host, args, 0), (s) => host.force(s)), { t: 'router', r: child });
      return { t: 'router', r: child };
    }
    case 'use':
      return recv;
    default:
      return UNKNOWN;
  }
}

/** `'GET'`, `['GET', 'POST']`, `'*'`: upper-case method names (`ALL` for `*`). */
function methodsOf(v: Value, force: (s: Slot) => Value): string[] {
  if (v.t === 'arr') return v.items.flatMap((i) => methodsOf(force(i), force));
  if (v.t !== 'str') return [];
  return v.alts.map((m) => (m === '*' ? 'ALL' : m.toUpperCase()));
}
