/**
 * The packages the route analysis knows: which it reads (and how they are imported), which it sees
 * but cannot read (a warning names them), and the method names that may register a route.
 */

/** HTTP frameworks read by the interpreter, by package. */
export const READ_FRAMEWORKS: Record<string, string> = {
  express: 'express',
  koa: 'koa',
  'koa-router': 'koa',
  '@koa/router': 'koa',
  'koa-mount': 'koa',
  fastify: 'fastify',
  'fastify-plugin': 'fastify',
  hono: 'hono',
  '@nestjs/common': 'nest',
  '@nestjs/core': 'nest',
  '@nestjs/platform-express': 'nest',
  '@nestjs/platform-fastify': 'nest',
  '@trpc/server': 'trpc',
  'trpc-openapi': 'trpc-openapi',
  'trpc-to-openapi': 'trpc-openapi',
};

/** GraphQL servers and schema tools: a file importing one may hold resolvers. */
export const GRAPHQL_PACKAGES = new Set(['@nestjs/graphql', 'type-graphql', 'graphql', '@graphql-tools/schema', 'graphql-tools', '@as-integrations/express4', '@as-integrations/express5', '@as-integrations/koa', '@as-integrations/fastify', '@apollo/server', 'apollo-server', 'apollo-server-express', 'apollo-server-koa', 'apollo-server-fastify', 'graphql-yoga', 'mercurius', 'express-graphql', 'graphql-http']);

/** GraphQL servers and their HTTP middleware: where one is mounted, the API is served. */
export const GRAPHQL_SERVERS = new Set([
  '@apollo/server',
  'apollo-server',
  'apollo-server-express',
  'apollo-server-koa',
  'apollo-server-fastify',
  '@as-integrations/express4',
  '@as-integrations/express5',
  '@as-integrations/koa',
  '@as-integrations/fastify',
  'graphql-yoga',
  'mercurius',
  'express-graphql',
  'graphql-http',
]);

/** HTTP frameworks seen but not read: their routes are missing, and a warning says so. */
export const UNREAD_FRAMEWORKS = new Set([
  '@hapi/hapi',
  'hapi',
  'restify',
  'polka',
  'hyper-express',
  'ultimate-express',
  '@tinyhttp/app',
  '@adonisjs/core',
  '@adonisjs/http-server',
  '@feathersjs/feathers',
  '@feathersjs/express',
  '@loopback/rest',
  'routing-controllers',
  'tsoa',
  'elysia',
  'h3',
  'moleculer-web',
  'sails',
  'micro',
  'itty-router',
  '@fastify/autoload',
]);

/** The package an import specifier names (`@scope/name/deep` → `@scope/name`), or undefined for a relative one. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Whether importing `pkg` makes a file a routing file. */
export function isRoutingPackage(pkg: string): boolean {
  return Object.hasOwn(READ_FRAMEWORKS, pkg) || GRAPHQL_PACKAGES.has(pkg) || UNREAD_FRAMEWORKS.has(pkg) || pkg.startsWith('@nestjs/');
}

export const ROUTE_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all'];

/**
 * Member calls that may register a route or mount a router in some framework, with the fewest
 * arguments such a call takes: a function holding one is worth running when nobody calls it. (A static
 * flag; whether the call really registers is decided by what the receiver turns out to be.)
 */
export const REGISTERING_METHODS: Record<string, number> = {
  ...Object.fromEntries(ROUTE_VERBS.map((v) => [v, 2])),
  del: 2,
  use: 1,
  route: 1,
  register: 1,
  basePath: 1,
  on: 3,
  setGlobalPrefix: 1,
  enableVersioning: 0,
};

/** Untyped parameters taken for routers by name when nobody hands them one: `module.exports = (app) => { app.get(...) }`. */
export const ROUTER_PARAM_NAME = /^(?:app|router|fastify)$|Router$/;
