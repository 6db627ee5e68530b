/**
 * The ranking formula, in one place (documented for users in docs/ranking.md).
 * score = Σ weight × normalized value, each normalized value in 0..1; lower is safer.
 */

export type TermName = 'blastRadius' | 'dataCoupling' | 'cycleCut' | 'takeAlong' | 'size' | 'routePrefix';

export const TERM_ORDER: TermName[] = ['blastRadius', 'dataCoupling', 'cycleCut', 'takeAlong', 'size', 'routePrefix'];

export const WEIGHTS: Record<TermName, number> = {
  // Code that breaks when the candidate moves: the main risk of an extraction.
  blastRadius: 3,
  // A shared table couples services at the data layer, the hardest coupling to undo.
  dataCoupling: 3,
  // One cut cycle alone costs 2, more than a typical candidate's other terms together:
  // cutting a cycle yields a distributed monolith.
  cycleCut: 4,
  // What it must copy or call over the network: the mirror image of blastRadius, weighed the same.
  takeAlong: 3,
  // Bigger moves are slower and riskier, but size alone should not outrank coupling.
  size: 1.5,
  // Scattered routes need many facade rules; no routes means the facade cannot strangle it.
  routePrefix: 1.5,
};

/** Per-table data-coupling points, worst first. */
export const TABLE_POINTS = {
  /** The candidate writes a table that a module outside also writes. */
  sharedWrite: 1,
  /** The candidate writes a table that a module outside reads. */
  outsideReadsOwn: 0.5,
  /** The candidate only reads a table that a module outside also touches. */
  readsOthers: 0.25,
  /** The candidate does not touch the table, but outside code it depends on does: it reaches the data through calls. */
  throughDependencies: 0.1,
} as const;

/**
 * Schema and seed code (migrations, seeders) creates and fills every table: its accesses say
 * nothing about which code owns a table, so ranking ignores them.
 */
export const SCHEMA_CODE = /(^|\/)(migrations?|seeds?|seeders?)\/|(^|\/)(seed|seeds|migrate|migration)\.[cm]?[jt]sx?$/;

/** Saturating map of a non-negative count to 0..1: 0 → 0, 1 → 0.5, 3 → 0.75. */
export const saturate = (x: number): number => (x <= 0 ? 0 : x / (x + 1));

export const NORMALIZE: Record<TermName, (raw: number, ctx: { denominator: number; library: boolean }) => number> = {
  // raw: modules outside that depend on it; denominator: modules outside it.
  blastRadius: (raw, { denominator }) => (denominator > 0 ? raw / denominator : 0),
  // raw: table points.
  dataCoupling: (raw) => saturate(raw),
  // raw: cycles cut; the first costs half the weight, each further one half of what is left.
  cycleCut: (raw) => 1 - 0.5 ** raw,
  // raw: loc outside it that it depends on; denominator: loc outside it.
  takeAlong: (raw, { denominator }) => (denominator > 0 ? raw / denominator : 0),
  // raw: its loc; denominator: total loc.
  size: (raw, { denominator }) => (denominator > 0 ? Math.min(1, raw / denominator) : 0),
  // raw: facade rules needed to move its routes; a library (no routes) gets the maximum.
  routePrefix: (raw, { library }) => (library ? 1 : raw <= 1 ? 0 : 1 - 1 / raw),
};

/** Rounding keeps scores identical across platforms and runs. */
export const round = (x: number, digits = 4): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
