/**
 * `strangler extract`, as one short pipeline: the report → the candidate → the plan (what moves, what
 * is copied, what crosses the boundary, which data goes where) → the files, in a virtual tree → the
 * disk, all at once, or a printed plan on --dry-run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Report } from '../analyzer/types';
import { resolveCandidate } from './candidate';
import { addToRoutesConfig, nextServiceUrl } from './facade-routes';
import { generate, type Generated } from './generate';
import { planExtraction, type ExtractPlan } from './plan';
import { Tree } from './tree';

export interface ExtractOptions {
  candidate: string;
  report: Report;
  out: string;
  name?: string;
  /** A facade routes config to add the service and its routes to (created when missing). */
  routes?: string;
  serviceUrl?: string;
  legacyUrl?: string;
  dryRun?: boolean;
  force?: boolean;
  /** The repository folder the CI workflow's paths are relative to (default: the current directory). */
  repoRoot?: string;
}

export interface ExtractResult {
  plan: ExtractPlan;
  generated: Generated;
  tree: Tree;
  routesFile: string | null;
  serviceUrl: string;
}

export class ExtractError extends Error {}

export function extract(o: ExtractOptions): ExtractResult {
  const out = path.resolve(o.out);
  if (fs.existsSync(out) && !o.force && !o.dryRun) throw new ExtractError(`extract: ${o.out} exists; nothing was written (use --force to replace it)`);
  const candidate = resolveCandidate(o.report, o.candidate);
  const plan = planExtraction(o.report, candidate, { name: o.name });
  const tree = new Tree(out);
  const routesFile = o.routes ? path.resolve(o.routes) : null;
  const routesText = routesFile && fs.existsSync(routesFile) ? fs.readFileSync(routesFile, 'utf8') : null;
  const serviceUrl = o.serviceUrl ?? existingServiceUrl(routesText, plan.name) ?? nextServiceUrl(routesText);
  const repoRoot = path.resolve(o.repoRoot ?? process.cwd());
  const generated = generate(plan, tree, {
    dirInRepo: path.relative(repoRoot, out).split(path.sep).join('/') || '.',
    monolithDbFile: monolithDbFile(o.report.root),
    monolithDir: rel(out, o.report.root),
    stranglerDir: rel(out, stranglerRoot()),
    serviceUrl,
  });
  if (routesFile) tree.write(routesFile, addToRoutesConfig(routesText, path.relative(process.cwd(), routesFile), plan, generated.routes, serviceUrl, o.legacyUrl ?? 'http://127.0.0.1:3000', Boolean(o.force)));
  if (!o.dryRun) tree.commit(Boolean(o.force));
  return { plan, generated, tree, routesFile, serviceUrl };
}

/** strangler's own folder (where bin/strangler.js is), from the source or from dist/. */
export function stranglerRoot(): string {
  for (let d = __dirname; path.dirname(d) !== d; d = path.dirname(d)) if (fs.existsSync(path.join(d, 'bin', 'strangler.js'))) return d;
  throw new Error('extract: cannot find strangler\'s own folder');
}

/** The URL a routes config already gives this service (a re-extraction with --force keeps it). */
function existingServiceUrl(text: string | null, name: string): string | undefined {
  if (!text) return undefined;
  const services = (parse(text) as { services?: Record<string, string | { urls?: string[] }> } | null)?.services;
  const s = services?.[name];
  return typeof s === 'string' ? s : s?.urls?.[0];
}

function rel(from: string, to: string): string {
  const r = path.relative(from, to).split(path.sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

/** The monolith's database file name in its container, from its Dockerfile's `DATABASE_PATH`, else `monolith.db`. */
function monolithDbFile(root: string): string {
  const df = path.join(root, 'Dockerfile');
  const m = fs.existsSync(df) ? /DATABASE_PATH=(\S+)/.exec(fs.readFileSync(df, 'utf8')) : null;
  return m ? path.posix.basename(m[1]) : 'monolith.db';
}

/** What a person reads: the plan, as a dry run prints it and a real run summarises it. */
export function describe(r: ExtractResult, cwd = process.cwd()): string {
  const { plan } = r;
  const lines: string[] = [];
  const c = plan.candidate;
  lines.push(`extract ${c.name} (${c.id}${c.rank ? `, rank ${c.rank}` : ''}) → ${path.relative(cwd, r.tree.outDir) || '.'} as service "${plan.name}"`);
  lines.push('');
  lines.push(`routes (${c.routes.length}):`);
  for (const rt of c.routes) lines.push(`  ${rt.method.padEnd(6)} ${rt.path}    ${rt.module}:${rt.line}`);
  lines.push('');
  const count = (role: string) => plan.modules.filter((m) => m.role === role).length;
  lines.push(`modules: ${count('moved')} moved, ${count('copied') + count('root')} copied, ${count('types')} for types only`);
  if (plan.app.mode === 'root' && plan.composition.root) lines.push(`app: ${plan.composition.root} (${plan.composition.factory?.name ?? 'its app'}) with this service's routers only; ${plan.composition.dropped.length} lines dropped (${plan.app.reason})`);
  else lines.push(`app: the service's own express app, with express.json(): ${plan.app.reason}`);
  if (plan.app.notApplied.length) {
    lines.push(`  not applied here (the monolith's, around the mount; listed in MIGRATION.md):`);
    for (const s of plan.app.notApplied) lines.push(`    ${s.module}:${s.line}  ${s.when === 'after' ? '(after) ' : ''}${s.text}`);
  }
  for (const m of plan.composition.mounts) lines.push(`  mounts ${m.router.name} at ${m.prefix}${m.how === 'added' ? ' (directly: its parent router stays in the monolith)' : ''}`);
  lines.push('');
  lines.push(`imports rewritten (${r.generated.rewrites.length}):`);
  for (const w of r.generated.rewrites.slice(0, 40)) lines.push(`  ${w.module}:${w.line}  ${w.from} → ${w.to}`);
  if (r.generated.rewrites.length > 40) lines.push(`  … ${r.generated.rewrites.length - 40} more in MIGRATION.md`);
  lines.push('');
  lines.push(`boundary (${plan.boundary.length} imports into code that stays in the monolith):`);
  for (const b of plan.boundary) lines.push(`  ${b.from}:${b.line} → ${b.to}: ${b.decision}`);
  lines.push('');
  const pkgs = plan.packages;
  lines.push(`packages (${pkgs.lockfile ? `versions from ${path.relative(cwd, pkgs.lockfile)}` : 'no lockfile'}): ${Object.entries(pkgs.dependencies).map(([n, v]) => `${n}@${v}`).join(', ')}`);
  for (const r of pkgs.ranges) lines.push(`  ${r.name} ${r.range}: not in the lockfile; the range of ${path.relative(cwd, r.file)}`);
  for (const w of pkgs.workspace) lines.push(`  decision: ${w.name} (${w.spec}) is a workspace package of the monolith: publish it or vendor it into the service; it is not in package.json`);
  lines.push(`database: ${plan.database.sqlite ? 'SQLite (better-sqlite3): its own file, the monolith\'s attached' : plan.database.libraries.length ? `none opened: the service's code reaches its data through ${plan.database.libraries.join(', ')}, to be wired by a person` : 'none: the service\'s code reaches no database'}`);
  lines.push(`tables: owned ${plan.owned.map((t) => t.name).join(', ') || 'none'}; shared ${plan.shared.map((t) => t.name).join(', ') || 'none'}`);
  if (plan.monolithChanges.length) {
    lines.push(`the monolith must change (${plan.monolithChanges.length}):`);
    for (const m of plan.monolithChanges) lines.push(`  ${m.module}:${m.line}  ${m.what}`);
  }
  lines.push(`facade: ${r.generated.routes.map((x) => `${x.name} ${'prefix' in x.match ? x.match.prefix : `${x.match.methods.join(',')} ${x.match.path}`}`).join('; ')} → ${r.serviceUrl} (weight 0, shadowed)${r.routesFile ? ` in ${path.relative(cwd, r.routesFile)}` : ''}`);
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  lines.push('');
  lines.push(`files (${r.tree.changes().length}):`);
  for (const ch of r.tree.changes()) lines.push(`  ${ch.type === 'create' ? 'CREATE' : 'UPDATE'} ${path.relative(cwd, ch.path)} (${ch.bytes} bytes)`);
  return `${lines.join('\n')}\n`;
}
