/**
 * GraphQL operations: Nest / type-graphql resolver classes (`@Resolver`, `@Query`, `@Mutation`,
 * `@Subscription`, `@ResolveField`) and schema-first resolver maps (`{ Query: { users() {} } }`),
 * with the HTTP path the API is served on.
 */
import type { GraphqlOperation } from '../types';
import { GRAPHQL_PACKAGES } from './frameworks';
import type { Interpreter } from './interpret';
import { packageDecorators } from './nest';
import { joinPaths } from './paths';
import { pathsOf, UNDEF, type Value } from './values';

const RESOLVER_PACKAGES = new Set(['@nestjs/graphql', 'type-graphql']);
const ROOT_OPERATIONS: Record<string, string> = { Query: 'Query', Mutation: 'Mutation', Subscription: 'Subscription' };
const FIELD_RESOLVERS = new Set(['ResolveField', 'ResolveProperty', 'FieldResolver']);

/**
 * @param endpoints where GraphQL servers are mounted in the router graph (express/Koa/Fastify apps)
 */
export function collectGraphql(it: Interpreter, mods: readonly string[], endpoints: readonly string[]): GraphqlOperation[] {
  const ops = new Map<string, GraphqlOperation>();
  const nestPath = nestEndpoint(it, mods);
  const add = (type: string, field: string, module: string, line: number, path: string): void => {
    ops.set(`${type}.${field} ${module}:${line}`, { type, field, module, line, path });
  };

  for (const mod of mods) {
    const f = it.factsOf(mod);
    if (!f?.routing || !f.deep) continue;
    const frame = it.moduleFrame(mod);
    for (const cls of Object.values(f.classes)) {
      if (!cls.decorators) continue;
      const resolver = packageDecorators(it, frame, cls.decorators).find((d) => RESOLVER_PACKAGES.has(d.pkg) && d.name === 'Resolver');
      if (!resolver) continue;
      const ofType = typeName(it, resolver.args[0] ?? UNDEF) ?? cls.name?.replace(/Resolver$/, '') ?? '?';
      for (const m of cls.members) {
        if (m.kind !== 'method' || !m.decorators) continue;
        for (const d of packageDecorators(it, frame, m.decorators)) {
          if (!RESOLVER_PACKAGES.has(d.pkg)) continue;
          const type = Object.hasOwn(ROOT_OPERATIONS, d.name) ? ROOT_OPERATIONS[d.name] : FIELD_RESOLVERS.has(d.name) ? ofType : undefined;
          if (type) add(type, fieldName(it, d.args) ?? m.name, mod, d.line, nestPath ?? endpoints[0] ?? '/graphql');
        }
      }
    }
  }

  // schema-first maps only count in a project that uses GraphQL at all
  const usesGraphql = mods.some((m) => Object.keys(it.factsOf(m)?.frameworks ?? {}).some((p) => GRAPHQL_PACKAGES.has(p)));
  if (!usesGraphql) return [...ops.values()];
  const path = endpoints[0] ?? nestPath ?? '/graphql';
  for (const mod of mods) {
    const f = it.factsOf(mod);
    // a routing file's maps only: another file's are read only if something else needs it
    if (!f?.routing) continue;
    for (const map of f.resolverMaps) {
      const v = it.ev(map.e, it.moduleFrame(mod));
      if (v.t !== 'obj') continue;
      for (const [type, slot] of v.props) {
        const fields = it.force(slot);
        if (fields.t !== 'obj') continue;
        for (const [field, fs] of fields.props) {
          if (field.startsWith('__')) continue;
          const value = it.force(fs);
          const where = value?.t === 'fn' ? fnLocation(it, value) : fields.where?.get(field);
          add(type, field, where?.mod ?? mod, where?.line ?? map.line, path);
        }
      }
    }
  }
  return [...ops.values()];
}

function fnLocation(it: Interpreter, fn: Value & { t: 'fn' }): { mod: string; line: number } | undefined {
  const line = it.factsOf(fn.mod)?.fns[fn.key]?.line;
  return line ? { mod: fn.mod, line } : undefined;
}

/** `@Resolver(() => User)`, `@Resolver(User)`, `@Resolver('User')`: the object type's name. */
function typeName(it: Interpreter, v: Value): string | undefined {
  if (v.t === 'str') return v.alts[0];
  if (v.t === 'class') return it.factsOf(v.mod)?.classes[v.key]?.name;
  if (v.t === 'pkg') return v.path[v.path.length - 1];
  if (v.t === 'fn') {
    const r = it.callValue(v, undefined, [], { mod: v.mod, line: 0, depth: 0 });
    return r.t === 'fn' ? undefined : typeName(it, r);
  }
  return undefined;
}

/** `@Query('users')`, `@Query(() => [User], { name: 'users' })`: the field's name if the decorator gives one. */
function fieldName(it: Interpreter, args: Value[]): string | undefined {
  for (const a of args) {
    if (a.t === 'str') return a.alts[0];
    if (a.t === 'obj') {
      const n = it.member(a, 'name');
      if (n.t === 'str') return n.alts[0];
    }
  }
  return undefined;
}

/** `GraphQLModule.forRoot({ path })` / `forRootAsync({ useFactory: () => ({ path }) })` in a Nest module's imports. */
function nestEndpoint(it: Interpreter, mods: readonly string[]): string | undefined {
  for (const mod of mods) {
    const f = it.factsOf(mod);
    if (!f?.routing || !f.deep) continue;
    const frame = it.moduleFrame(mod);
    for (const cls of Object.values(f.classes)) {
      const module = packageDecorators(it, frame, cls.decorators).find((d) => d.pkg === '@nestjs/common' && d.name === 'Module');
      const opts = module?.args[0];
      if (opts?.t !== 'obj') continue;
      const imports = it.member(opts, 'imports');
      if (imports.t !== 'arr') continue;
      for (const imp of imports.items) {
        if (imp.t !== 'nestModule' || imp.spec !== '@nestjs/graphql') continue;
        let config = imp.args[0] ?? UNDEF;
        if (imp.path[imp.path.length - 1] === 'forRootAsync' && config.t === 'obj') {
          const factory = it.member(config, 'useFactory');
          config = factory.t === 'fn' ? it.callValue(factory, undefined, [], { mod, line: 0, depth: 0 }) : UNDEF;
        }
        const p = config.t === 'obj' ? it.member(config, 'path') : UNDEF;
        const path = p.t === 'str' ? pathsOf(p, (s) => it.force(s))[0] : '/graphql';
        const useGlobal = config.t === 'obj' ? it.member(config, 'useGlobalPrefix') : UNDEF;
        const prefix = useGlobal.t === 'lit' && useGlobal.v === true ? it.nest.globalPrefixes[0]?.prefix : undefined;
        return prefix?.t === 'str' ? joinPaths(prefix.alts[0], path) : joinPaths(path);
      }
    }
  }
  return undefined;
}
