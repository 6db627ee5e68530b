/**
 * What the facade must be told to move a candidate's traffic: its HTTP routes (infrastructure routes
 * aside) and the GraphQL endpoints its resolvers serve, and the sentence that says so. The rule count
 * is the routePrefix term's raw value.
 */
import type { GraphqlOperation, InfrastructureRoute, Route } from '../types';
import { compareText } from './graph';
import { infrastructureOf } from './infrastructure';
import type { RoutePrefixer } from './prefixes';

/** The route facts of the whole report the covers are computed against. */
export interface RouteSpace {
  prefixer: RoutePrefixer;
  routesByModule: Map<number, Route[]>;
  graphqlByModule: Map<number, GraphqlOperation[]>;
  infrastructure: Map<Route, InfrastructureRoute>;
  /** Per GraphQL endpoint path: the modules whose resolvers it serves. */
  endpointModules: Map<string, Set<number>>;
  /** One stand-in route per (endpoint, module), so HTTP prefixes never swallow an endpoint. */
  endpointRoutes: Map<string, Route[]>;
}

/** A GraphQL endpoint path the analyzer could not read: no rule can name it. */
const isUnknownPath = (path: string): boolean => path.includes('<');
/** An HTTP route whose first segment is unread (`/<dynamic>/auth/login`): no prefix or path rule can name it. */
const isUnplaceable = (route: Route): boolean => (route.path.split('/').find(Boolean) ?? '').includes('<');

export function routeSpace(
  prefixerOf: (routes: Route[]) => RoutePrefixer,
  routes: readonly Route[],
  graphql: readonly GraphqlOperation[],
  indexOf: (module: string) => number | undefined,
): RouteSpace {
  const routesByModule = new Map<number, Route[]>();
  const infrastructure = new Map<Route, InfrastructureRoute>();
  const counted: Route[] = [];
  for (const r of routes) {
    const i = indexOf(r.module);
    if (i === undefined) continue;
    counted.push(r);
    const infra = infrastructureOf(r);
    if (infra) infrastructure.set(r, { ...r, ...infra });
    push(routesByModule, i, r);
  }
  const graphqlByModule = new Map<number, GraphqlOperation[]>();
  const endpointModules = new Map<string, Set<number>>();
  const endpointRoutes = new Map<string, Route[]>();
  for (const op of graphql) {
    const i = indexOf(op.module);
    if (i === undefined) continue;
    push(graphqlByModule, i, op);
    const modules = endpointModules.get(op.path) ?? new Set<number>();
    if (!modules.has(i) && !isUnknownPath(op.path)) push(endpointRoutes, op.path, { method: 'POST', path: op.path, module: op.module, line: op.line });
    modules.add(i);
    endpointModules.set(op.path, modules);
  }
  const prefixer = prefixerOf([...counted, ...[...endpointRoutes.values()].flat()]);
  return { prefixer, routesByModule, graphqlByModule, infrastructure, endpointModules, endpointRoutes };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface RouteRules {
  /** Facade rules needed: prefixes, exact paths, paths split by method, GraphQL endpoints (a shared one twice). */
  rules: number;
  /** No HTTP route and no GraphQL operation to move. */
  library: boolean;
  reason: string;
  routes: Route[];
  infrastructure: InfrastructureRoute[];
  graphql: GraphqlOperation[];
  prefixes: string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
function listSome(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function routeRules(space: RouteSpace, members: readonly number[], inside: (m: number) => boolean): RouteRules {
  const routes: Route[] = [];
  const infrastructure: InfrastructureRoute[] = [];
  const graphql: GraphqlOperation[] = [];
  for (const m of members) {
    for (const r of space.routesByModule.get(m) ?? []) {
      const infra = space.infrastructure.get(r);
      if (infra) infrastructure.push(infra);
      else routes.push(r);
    }
    graphql.push(...(space.graphqlByModule.get(m) ?? []));
  }
  infrastructure.sort((a, b) => compareText(a.path, b.path) || compareText(a.method, b.method));

  // GraphQL: an endpoint all of whose resolvers are inside moves by its path, like a route; one
  // shared with resolvers outside needs routing by operation name as well (counted twice).
  // An unreadable path is one rule nobody can name; spelled the same as other resolvers' (`/<dynamic>`),
  // it is taken to be the same endpoint: shared.
  const endpoints = [...new Set(graphql.map((o) => o.path))].sort(compareText);
  const alone = (p: string): boolean => [...space.endpointModules.get(p)!].every(inside);
  const owned = endpoints.filter((p) => !isUnknownPath(p) && alone(p));
  const shared = endpoints.filter((p) => !alone(p));
  const unknown = endpoints.filter((p) => isUnknownPath(p) && alone(p));
  // an owned endpoint's stand-ins are all the candidate's (every module serving it is inside)
  const unnamed = [...new Set(routes.filter(isUnplaceable).map((r) => r.path))].sort(compareText);
  const coverInput = [...routes.filter((r) => !isUnplaceable(r)), ...owned.flatMap((p) => space.endpointRoutes.get(p)!)];
  const cover = space.prefixer.cover(coverInput);
  // a rule the report cannot name must be found and written by hand: it counts twice
  const rules = cover.prefixes.length + cover.exactPaths.length + cover.methodSplit.length + 2 * (shared.length + unknown.length + unnamed.length);
  const library = routes.length === 0 && graphql.length === 0;

  const infraList = listSome(infrastructure.map((r) => `${r.method} ${r.path} (${r.reason})`), 2);
  const one = routes.length + graphql.length === 1;
  const what = [routes.length ? plural(routes.length, 'route') : '', graphql.length ? plural(graphql.length, 'GraphQL operation') : ''].filter(Boolean).join(' and ');
  const its = `Its ${one ? what.replace(/^1 /, '') : what}`;
  let reason: string;
  if (library && infrastructure.length > 0) {
    reason = `Registers only infrastructure routes, ${infraList}: the facade moves no traffic for those, so it can only move as a library or behind calls from the monolith.`;
  } else if (library) reason = 'Registers no routes: the facade cannot move traffic to it, so it can only move as a library or behind calls from the monolith.';
  else {
    const parts: string[] = [];
    if (cover.prefixes.length) parts.push(`${cover.prefixes.length === 1 ? 'prefix' : 'prefixes'} ${listSome(cover.prefixes)}`);
    if (cover.exactPaths.length) parts.push(`exact paths ${listSome(cover.exactPaths)}`);
    if (rules === 1 && cover.prefixes.length === 1) reason = `${its} ${one ? 'moves' : 'move'} with one prefix rule: ${cover.prefixes[0]}`;
    else {
      const why: string[] = [];
      if (cover.prefixes.length + cover.exactPaths.length > 1 || cover.exactPaths.length) why.push("other candidates' routes sit beside them");
      if (cover.methodSplit.length) why.push(`other candidates serve ${listSome(cover.methodSplit)} with other methods (a path split by method counts twice: both sides then serve the resource)`);
      if (shared.length) why.push(`the GraphQL ${shared.length === 1 ? 'endpoint' : 'endpoints'} ${listSome(shared)} ${shared.length === 1 ? 'serves' : 'serve'} resolvers outside it too, so the facade must route by operation name as well as by path (counted twice)`);
      const onUnknown = graphql.filter((o) => isUnknownPath(o.path)).length;
      if (unnamed.length) why.push(`${unnamed.length === 1 ? 'one path begins' : `${unnamed.length} paths begin`} with a part set at run time (${listSome(unnamed)}): ${unnamed.length === 1 ? 'a rule' : 'rules'} the report cannot name (counted twice)`);
      if (unknown.length) why.push(`${onUnknown === 1 ? 'its GraphQL operation is' : onUnknown === graphql.length ? 'its GraphQL operations are' : `${onUnknown} of its GraphQL operations are`} served on a path set at run time (${listSome(unknown)}): ${unknown.length === 1 ? 'a rule' : 'rules'} the report cannot name (counted twice)`);
      if (shared.length) parts.push(`shared GraphQL ${shared.length === 1 ? 'endpoint' : 'endpoints'} ${listSome(shared)}`);
      reason = `${its} ${one ? 'needs' : 'need'} ${plural(rules, 'facade rule')}${parts.length ? ` (${parts.join('; ')})` : ''} because ${why.join(', and ')}`;
    }
    reason += infrastructure.length ? `; ${infraList} ${infrastructure.length === 1 ? 'is' : 'are'} infrastructure and not moved.` : '.';
  }
  return { rules, library, reason, routes, infrastructure, graphql, prefixes: cover.prefixes };
}
