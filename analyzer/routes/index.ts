/**
 * Route extraction: `collectRouteFacts` reads one parsed file (no type checker) into a small program,
 * `analyzeRoutes` runs every file's program and reads routes, GraphQL operations and warnings off it.
 */
export { collectRouteFacts, type CollectOptions } from './collect';
export { analyzeRoutes, composeRoutes, compareRoutes, type LoadDeep, type ResolveImport, type RouteAnalysis } from './compose';
export type { RouteFacts } from './facts';
export { DYNAMIC, joinPaths } from './paths';
