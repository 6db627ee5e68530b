/**
 * The report.json contract (DESIGN.md): the analyzer's one output, read by every other part.
 * Module ids are paths relative to the analyzed directory, `/`-separated. Add fields freely;
 * renaming or removing one is a schemaVersion bump.
 */
export const SCHEMA_VERSION = '1.0.0';

/** static: a runtime `import`/`export ... from` binding; type-only: erased at runtime; re-export: `export * from` / `export {a} from`. */
export type EdgeKind = 'static' | 'type-only' | 'dynamic' | 're-export' | 'require';

export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** 1-based line of the import in `from`. */
  line: number;
  /** The specifier as written (`./x.js`, `@shared/db`, `#internal/y`). */
  specifier: string;
  /** Set on the extra edge to the module that declares the imported names, when the import went through this barrel. */
  via?: string;
  /** Imported names, where the import names them. */
  names?: string[];
  /**
   * Set on a runtime file edge into a barrel that blast radius does not follow: the `via` edges to
   * the modules declaring the imported names stand for it. Every other runtime edge (file or `via`)
   * is an edge of the dependency graph behind `blastRadius` and `transitiveDependencies`.
   */
  seenThrough?: true;
}

export type TableAccessKind = 'read' | 'write';

export interface ModuleTableAccess {
  name: string;
  access: TableAccessKind;
}

export interface TableGap {
  /** 1-based line of the access (of the import, for a library the analyzer does not read). */
  line: number;
  /** What could not be read, for a person: "a table name from `tableName`". */
  what: string;
}

export interface Route {
  /** Upper case: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ALL. */
  method: string;
  /** Full path after composing mounts and global prefixes, express syntax (`/api/orders/:id`). */
  path: string;
  /** Module that registers the handler. */
  module: string;
  line: number;
  /**
   * Served by tRPC: `trpc`, a procedure at `<mount>/<dotted.path>` (GET for a query, POST for a
   * mutation; batched calls `/<mount>/a,b?batch=1` ask for several in one request, so the unit a
   * facade moves is the mount); `trpc-openapi`, a procedure's REST route from its `openapi` meta.
   */
  via?: 'trpc' | 'trpc-openapi';
}

/** A GraphQL operation a module serves (a resolver), reported beside its HTTP routes. */
export interface GraphqlOperation {
  /** `Query`, `Mutation`, `Subscription`, or the object type a field resolver belongs to (`User`). */
  type: string;
  field: string;
  /** Module that holds the resolver. */
  module: string;
  line: number;
  /** HTTP path the GraphQL API is served on (`/graphql`). */
  path: string;
}

export interface ModuleReport {
  id: string;
  loc: number;
  /** Afferent / efferent coupling over runtime edges (distinct modules). */
  ca: number;
  ce: number;
  /** The same over type-only edges, reported beside the runtime figures. */
  caTypeOnly: number;
  ceTypeOnly: number;
  /** Ce / (Ca + Ce) on runtime edges; 0 when both are 0. */
  instability: number;
  /** Number of modules that depend on this one transitively (runtime edges). */
  blastRadius: number;
  /** Number of modules this one depends on transitively (runtime edges). */
  transitiveDependencies: number;
  /** Index into report.cycles of the runtime cycle (non-trivial SCC) this module belongs to, else null. */
  cycle: number | null;
  routes: Route[];
  /** GraphQL operations whose resolvers live here: a module serving only these is not a library. */
  graphql?: GraphqlOperation[];
  tables: ModuleTableAccess[];
  /** Tables whose schema this module defines (CREATE/ALTER/DROP TABLE, ORM model definitions): not counted as data access. */
  definesTables?: string[];
  /**
   * Database accesses in this module whose table could not be read (a table name from a variable, a
   * model chosen at run time, a data library the analyzer does not read): `tables` may be incomplete.
   */
  tableGaps?: TableGap[];
  /** npm packages imported (package names, not deep paths), including `node:` builtins as `node:fs`. */
  packages: string[];
}

export interface TableUsage {
  name: string;
  readers: string[];
  writers: string[];
  /** Modules that define its schema (migrations, ORM models): an extracted service takes these along. */
  definedBy?: string[];
}

export interface ScoreTerm {
  /** blastRadius | dataCoupling | cycleCut | takeAlong | size | routePrefix | ... */
  name: string;
  /** The raw measure, in the unit `reason` states. */
  value: number;
  weight: number;
  /** weight × normalized value: what this term adds to the score. */
  contribution: number;
  /** One sentence a person reads: why this term is what it is. */
  reason: string;
}

/** Routes that are the platform's, not a domain's: they never make a candidate a service or a facade rule. */
export type InfrastructureKind = 'probe' | 'metrics' | 'root' | 'catch-all' | 'static-file';

export interface InfrastructureRoute extends Route {
  kind: InfrastructureKind;
  /** `a health or readiness probe`, `a catch-all: it matches every path that nothing else does`. */
  reason: string;
}

export interface Candidate {
  id: string;
  kind: 'folder' | 'router' | 'cycle' | 'community' | 'module';
  /** A short human name (folder name, community's main folder...). */
  name: string;
  modules: string[];
  /** Lower is safer to extract first. Sum of the terms' contributions. */
  score: number;
  /** 1-based, after sorting by score. */
  rank: number;
  terms: ScoreTerm[];
  /** `service` when it owns routes or GraphQL operations the facade can move; `library` when it has none. */
  label: 'service' | 'library';
  /** The routes that move with it (infrastructure routes aside). */
  routes: Route[];
  /** The GraphQL operations its resolvers serve: they make it a service too. Present when it has some. */
  graphql?: GraphqlOperation[];
  /** Its health probes, metrics and debug endpoints, catch-alls, root and well-known files: not moved, not facade rules. Present when it has some. */
  infrastructureRoutes?: InfrastructureRoute[];
  /**
   * Candidates with the same routes and nearly the same modules (a folder and its only router), ranked
   * lower and shown once, here. Present when there were some.
   */
  variants?: { id: string; kind: Candidate['kind']; score: number; moduleCount: number }[];
  /** Path prefixes that would move all its routes with one facade rule each. */
  pathPrefixes: string[];
  tables: ModuleTableAccess[];
}

export interface Decomposition {
  /** The suggested services: a partition of the runtime graph's modules. */
  services: { id: string; name: string; modules: string[] }[];
  /** Newman modularity of the partition on the runtime graph. */
  modularity: number;
  /** Structural modularity (SM). */
  structuralModularity: number;
  /** Inter-partition call percentage (ICP), 0..1. */
  icp: number;
  /** Number of cross-service interfaces (IFN): distinct target modules called across services. */
  ifn: number;
}

export interface Warning {
  file: string;
  line: number;
  message: string;
  /** Machine-readable category: unresolved-import, parse-error, ... */
  code?: string;
}

/** What a non-runtime module is: test code, a tool script, build or tool configuration, browser-side code. */
export type NonRuntimeKind = 'test' | 'script' | 'config' | 'browser';

export interface NonRuntimeModule {
  module: string;
  kind: NonRuntimeKind;
  /** Why: `a test file (orders.spec.ts)`, `run by the package.json script "seed", not by the app`, `imported only by test code (src/a.spec.ts)`. */
  reason: string;
}

export interface Report {
  schemaVersion: string;
  tool: { name: 'strangler'; version: string };
  generatedAt: string;
  /** Absolute path of the analyzed directory. */
  root: string;
  /** tsconfig used, relative to root, or null. */
  tsconfig: string | null;
  summary: {
    modules: number;
    edges: number;
    runtimeEdges: number;
    typeOnlyEdges: number;
    /** Extra edges through barrels (`via` set); not included in `edges`, which counts file edges. */
    viaEdges?: number;
    cycles: number;
    /** Length of report.typeOnlyCycles. */
    typeOnlyCycles?: number;
    routes: number;
    /** Length of report.graphql. */
    graphqlOperations?: number;
    tables: number;
    warnings: number;
    durationMs: number;
  };
  modules: ModuleReport[];
  edges: Edge[];
  /** Runtime cycles: each a strongly connected component (size > 1, or a self-import), module ids sorted. */
  cycles: string[][];
  /** Cycles that exist only when type-only edges are counted: reported, not counted as runtime coupling. */
  typeOnlyCycles: string[][];
  routes: Route[];
  /** GraphQL operations, sorted by type, field, module, line. */
  graphql?: GraphqlOperation[];
  tables: TableUsage[];
  /**
   * Modules that are not part of the running backend, and why. Unless `counted` (`--include-non-runtime`),
   * the ranking, the decomposition and the modules' blastRadius / transitiveDependencies leave them out.
   */
  nonRuntime?: { counted: boolean; modules: NonRuntimeModule[] };
  candidates: Candidate[];
  decomposition: Decomposition;
  warnings: Warning[];
  /** Present when the analysis ran with `--crosscheck`: madge's opinion of the same modules. */
  crosscheck?: CrosscheckReport;
}

/** One module pair on which madge and strangler disagree, and the known difference that explains it (if any). */
export interface CrosscheckDisagreement {
  from: string;
  to: string;
  side: 'strangler-only' | 'madge-only';
  /** The rule naming the known difference between the tools; absent when nothing explains it. */
  rule?: string;
  detail: string;
}

export interface CrosscheckReport {
  tool: { name: 'madge'; version: string };
  /** Module pairs both tools report as runtime dependencies. */
  agreed: number;
  /** How many explained differences each rule accounts for. */
  explainedByRule: Record<string, number>;
  explained: CrosscheckDisagreement[];
  unexplained: CrosscheckDisagreement[];
}

/** What ranking needs: the report before candidates and decomposition are added. */
export type RankInput = Omit<Report, 'candidates' | 'decomposition'>;
export interface RankOutput {
  candidates: Candidate[];
  decomposition: Decomposition;
}
