/**
 * The score terms of one candidate, each with the sentence that explains it.
 * The formula (weights, normalization) lives in weights.ts.
 */
import type { Candidate, ModuleTableAccess, RankInput, Route, ScoreTerm, TableGap } from '../types';
import { routeRules, routeSpace, type RouteSpace } from './route-rules';
import { compareText, memberMask, Reachability, type RankGraph } from './graph';
import type { CandidateSeed } from './candidates';
import type { RoutePrefixer } from './prefixes';
import { NORMALIZE, SCHEMA_CODE, TABLE_POINTS, WEIGHTS, round, type TermName } from './weights';

export interface RankContext {
  g: RankGraph;
  /** Runtime cycles as sorted module indices, in report.cycles order (empty for a cycle of modules left out). */
  cycles: number[][];
  /** Database accesses whose table could not be read, by module (schema code aside). */
  tableGaps: Map<number, TableGap[]>;
  /** Some modules of the report (non-runtime ones) are left out of the ranking. */
  partial: boolean;
  tables: Map<string, { readers: number[]; writers: number[] }>;
  tablesByModule: Map<number, ModuleTableAccess[]>;
  /** 1 where tablesByModule has an entry: a cheap test in the hot loop. */
  hasTables: Uint8Array;
  /** Routes and GraphQL operations by module, and the trie their facade rules are computed on. */
  routeSpace: RouteSpace;
  reach: Reachability;
}

export function rankContext(g: RankGraph, input: RankInput, prefixerOf: (routes: Route[]) => RoutePrefixer): RankContext {
  // in report.cycles order, so `#3` names the report's third cycle; a cycle of non-runtime modules is empty here
  const cycles = input.cycles.map((c) =>
    c
      .map((id) => g.index.get(id))
      .filter((i): i is number => i !== undefined)
      .sort((a, b) => a - b),
  );
  const tableGaps = new Map<number, TableGap[]>();
  for (const m of input.modules) {
    const i = g.index.get(m.id);
    if (m.tableGaps?.length && i !== undefined && !SCHEMA_CODE.test(m.id)) tableGaps.set(i, m.tableGaps);
  }
  const tableMap = new Map<string, { name: string; readers: Set<number>; writers: Set<number> }>();
  const tableOf = (name: string) => {
    let t = tableMap.get(name);
    if (!t) tableMap.set(name, (t = { name, readers: new Set(), writers: new Set() }));
    return t;
  };
  const tablesByModule = new Map<number, ModuleTableAccess[]>();
  for (const m of input.modules) {
    const i = g.index.get(m.id);
    if (i === undefined || SCHEMA_CODE.test(m.id)) continue;
    if (m.tables.length > 0) tablesByModule.set(i, m.tables);
    for (const t of m.tables) (t.access === 'write' ? tableOf(t.name).writers : tableOf(t.name).readers).add(i);
  }
  for (const usage of input.tables) {
    for (const [list, access] of [
      [usage.readers, 'read'],
      [usage.writers, 'write'],
    ] as const) {
      for (const id of list) {
        if (SCHEMA_CODE.test(id)) continue;
        const i = g.index.get(id);
        if (i === undefined) continue;
        (access === 'write' ? tableOf(usage.name).writers : tableOf(usage.name).readers).add(i);
        const own = tablesByModule.get(i) ?? [];
        if (!own.some((t) => t.name === usage.name && t.access === access)) tablesByModule.set(i, [...own, { name: usage.name, access }]);
      }
    }
  }
  return {
    g,
    cycles,
    tableGaps,
    partial: g.ids.length < input.modules.length,
    tables: new Map([...tableMap].map(([name, t]) => [name, { readers: [...t.readers], writers: [...t.writers] }])),
    tablesByModule,
    hasTables: (() => {
      const has = new Uint8Array(g.ids.length);
      for (const i of tablesByModule.keys()) has[i] = 1;
      return has;
    })(),
    routeSpace: routeSpace(prefixerOf, input.routes, input.graphql ?? [], (id) => g.index.get(id)),
    reach: new Reachability(g),
  };
}

const pct = (x: number): string => `${Math.round(x * 100)} %`;
const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
/** 12,345: loc counts are integers; toLocaleString's first call costs ~20 ms of ICU set-up per process. */
const num = (n: number): string => (Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US'));

/** "a, b, c and 4 more" */
function listSome(items: string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** listSome for module indices: the examples shown, out of `total`. */
function listModules(g: RankGraph, examples: number[], total = examples.length, max = 3): string {
  const shown = examples.slice(0, max).map((m) => g.ids[m]);
  return total <= shown.length ? shown.join(', ') : `${shown.join(', ')} and ${total - shown.length} more`;
}

function term(name: TermName, value: number, normalized: number, reason: string): ScoreTerm {
  const weight = WEIGHTS[name];
  return { name, value: round(value), weight, contribution: round(weight * normalized), reason };
}

export type ScoredCandidate = Omit<Candidate, 'rank'>;

export function scoreCandidate(ctx: RankContext, seed: CandidateSeed): ScoredCandidate {
  const { g } = ctx;
  const n = g.ids.length;
  const mask = memberMask(n, seed.members);
  const size = seed.members.length;
  const ownLoc = seed.members.reduce((s, m) => s + g.loc[m], 0);
  const outsideCount = n - size;
  const outsideLoc = g.totalLoc - ownLoc;

  // blastRadius: modules outside that depend on it, transitively.
  const dependents = ctx.reach.outside('up', seed.members, mask);
  const blastNorm = NORMALIZE.blastRadius(dependents.count, { denominator: outsideCount, library: false });
  const blast = term(
    'blastRadius',
    dependents.count,
    blastNorm,
    dependents.count === 0
      ? 'No module outside it depends on it.'
      : `${dependents.count} of ${outsideCount} modules outside it (${pct(blastNorm)}) depend on it: ${listModules(g, dependents.examples, dependents.count)}.`,
  );

  // What it depends on outside (takeAlong below), and the tables that code touches.
  const reachedTables = new Set<string>();
  const deps = ctx.reach.outside('down', seed.members, mask, {
    withLoc: true,
    visit: (m) => {
      if (ctx.hasTables[m]) for (const t of ctx.tablesByModule.get(m)!) reachedTables.add(t.name);
    },
  });

  // dataCoupling: tables shared with modules outside.
  let points = 0;
  const sharedWrites: string[] = [];
  const readByOthers: string[] = [];
  const readsOthers: string[] = [];
  const touched = new Set<string>();
  for (const m of seed.members) for (const t of ctx.tablesByModule.get(m) ?? []) touched.add(t.name);
  for (const name of [...touched].sort()) {
    const t = ctx.tables.get(name)!;
    const writesIn = t.writers.some((m) => mask[m]);
    const writesOut = t.writers.some((m) => !mask[m]);
    const readsOut = t.readers.some((m) => !mask[m]);
    if (writesIn && writesOut) {
      points += TABLE_POINTS.sharedWrite;
      sharedWrites.push(name);
    } else if (writesIn && readsOut) {
      points += TABLE_POINTS.outsideReadsOwn;
      readByOthers.push(name);
    } else if (!writesIn && (writesOut || readsOut)) {
      points += TABLE_POINTS.readsOthers;
      readsOthers.push(name);
    }
  }
  const throughDeps = [...reachedTables].filter((name) => !touched.has(name)).sort();
  points += throughDeps.length * TABLE_POINTS.throughDependencies;
  const dataParts: string[] = [];
  if (sharedWrites.length) dataParts.push(`writes ${listSome(sharedWrites)} that code outside also writes`);
  if (readByOthers.length) dataParts.push(`writes ${listSome(readByOthers)} that code outside reads`);
  if (readsOthers.length) dataParts.push(`reads ${listSome(readsOthers)} owned or used outside`);
  if (throughDeps.length) dataParts.push(`reaches ${listSome(throughDeps)} through code outside it`);
  // "shares no table" only when every database access in it was read; otherwise say what was not
  let gapCount = 0;
  const gapExamples: string[] = [];
  for (const m of seed.members) {
    const list = ctx.tableGaps.get(m);
    if (!list) continue;
    gapCount += list.length;
    for (const gap of list) if (gapExamples.length < 2) gapExamples.push(`${g.ids[m]}:${gap.line} (${gap.what})`);
  }
  const more = gapCount > gapExamples.length ? ` and ${gapCount - gapExamples.length} more` : '';
  const unread = gapCount ? `${plural(gapCount, 'database access', 'database accesses')} in it could not be read: ${gapExamples.join(', ')}${more}` : '';
  let dataReason: string;
  if (dataParts.length === 0) dataReason = unread ? `No table shared with code outside it was found, but ${unread}.` : 'Shares no database table with code outside it.';
  else dataReason = `${capitalize(dataParts.join('; '))} (${round(points, 2)} table points)${unread ? `; ${unread}` : ''}.`;
  const data = term('dataCoupling', points, NORMALIZE.dataCoupling(points, { denominator: 0, library: false }), dataReason);

  // cycleCut: runtime cycles with members both inside and outside.
  const cut: number[] = [];
  ctx.cycles.forEach((c, i) => {
    let inside = 0;
    for (const m of c) inside += mask[m];
    if (inside > 0 && inside < c.length) cut.push(i);
  });
  const cycle = term(
    'cycleCut',
    cut.length,
    NORMALIZE.cycleCut(cut.length, { denominator: 0, library: false }),
    cut.length === 0
      ? 'Cuts no runtime import cycle.'
      : `Cuts ${plural(cut.length, 'runtime cycle')} (${cut
          .slice(0, 3)
          .map((i) => {
            const partners = ctx.cycles[i].filter((m) => !mask[m]);
            return `#${i + 1} with ${listModules(g, partners, partners.length, 2)}`;
          })
          .join('; ')}${cut.length > 3 ? '; …' : ''}): moved alone it would call back and forth across the network.`,
  );

  // takeAlong: code outside it that it depends on, transitively, by loc.
  const depLoc = deps.loc;
  const takeNorm = NORMALIZE.takeAlong(depLoc, { denominator: outsideLoc, library: false });
  const take = term(
    'takeAlong',
    depLoc,
    takeNorm,
    deps.count === 0
      ? 'Depends on no code outside it.'
      : `Depends on ${plural(deps.count, 'module')} outside it (${num(depLoc)} of ${num(outsideLoc)} loc outside, ${pct(takeNorm)}) to copy or call remotely: ${listModules(g, deps.examples, deps.count)}.`,
  );

  const sizeNorm = NORMALIZE.size(ownLoc, { denominator: g.totalLoc, library: false });
  const sizeTerm = term('size', ownLoc, sizeNorm, `${num(ownLoc)} loc in ${plural(size, 'module')} (${pct(sizeNorm)} of all ${ctx.partial ? 'runtime ' : ''}code).`);

  // routePrefix: facade rules needed to move exactly its routes and GraphQL endpoints (infrastructure routes are never moved).
  const moves = routeRules(ctx.routeSpace, seed.members, (m) => mask[m] === 1);
  const prefixTerm = term('routePrefix', moves.rules, NORMALIZE.routePrefix(moves.rules, { denominator: 0, library: moves.library }), moves.reason);

  const terms = [blast, data, cycle, take, sizeTerm, prefixTerm];
  const tables = new Map<string, ModuleTableAccess['access']>();
  for (const m of seed.members) {
    for (const t of ctx.tablesByModule.get(m) ?? []) if (tables.get(t.name) !== 'write') tables.set(t.name, t.access);
  }
  return {
    id: seed.id,
    kind: seed.kind,
    name: seed.name,
    modules: seed.members.map((m) => g.ids[m]),
    score: round(terms.reduce((s, t) => s + t.contribution, 0)),
    terms,
    label: moves.library ? 'library' : 'service',
    routes: [...moves.routes].sort((a, b) => compareText(a.path, b.path) || compareText(a.method, b.method)),
    ...(moves.graphql.length ? { graphql: [...moves.graphql].sort((a, b) => compareText(a.type, b.type) || compareText(a.field, b.field) || compareText(a.module, b.module) || a.line - b.line) } : {}),
    ...(moves.infrastructure.length ? { infrastructureRoutes: moves.infrastructure } : {}),
    pathPrefixes: moves.prefixes,
    tables: [...tables].sort(([a], [b]) => compareText(a, b)).map(([name, access]) => ({ name, access })),
  };
}


function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
