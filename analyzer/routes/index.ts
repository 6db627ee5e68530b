/**
 * Route extraction: `collectRouteFacts` reads one parsed file (no type checker), `composeRoutes`
 * joins all files' facts into full routes (mount prefixes, barrels, factories, Nest global prefix).
 */
export { collectRouteFacts } from './collect';
export { composeRoutes, compareRoutes, type ResolveImport } from './compose';
export type { RouteFacts, ValueRef, RefStep, RouterDeclFact, RouteRegFact, MountFact, ParamCallFact, ImportFact, ExportFact, FunctionFact, NestControllerFact, NestRouteFact } from './facts';
export { DYNAMIC, joinPaths } from './paths';
