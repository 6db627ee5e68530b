/**
 * The fewest facade rules that move exactly a candidate's routes: path prefixes (the facade's
 * `match.prefix`, segment boundaries) where a whole subtree of the route space is the candidate's,
 * exact path rules (`match.path`, with methods) where it is not.
 */
import type { Route } from '../types';

interface TrieNode {
  path: string;
  children: Map<string, TrieNode>;
  /** Routes whose literal part ends here (the rest, if any, is parametric). */
  routes: Route[];
}

export interface RouteCover {
  prefixes: string[];
  /** Distinct route paths that no pure prefix covers; each needs an exact-path facade rule. */
  exactPaths: string[];
  /** Of exactPaths, those another candidate also serves with another method. */
  methodSplit: string[];
}

/** A segment with a parameter, wildcard or pattern matches other segments: it cannot bound a prefix. */
const isLiteral = (segment: string): boolean => !/[:*?()[\]{}+]/.test(segment);

function buildTrie(routes: Route[]): TrieNode {
  const root: TrieNode = { path: '/', children: new Map(), routes: [] };
  for (const route of routes) {
    let node = root;
    for (const segment of route.path.split('/').filter(Boolean)) {
      if (!isLiteral(segment)) break;
      let child = node.children.get(segment);
      if (!child) {
        child = { path: node.path === '/' ? `/${segment}` : `${node.path}/${segment}`, children: new Map(), routes: [] };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.routes.push(route);
  }
  return root;
}

/** Computes covers for many candidates over one route set. */
export class RoutePrefixer {
  private readonly root: TrieNode;

  constructor(allRoutes: Route[]) {
    this.root = buildTrie(allRoutes);
  }

  cover(isMine: (r: Route) => boolean): RouteCover {
    const result: RouteCover = { prefixes: [], exactPaths: [], methodSplit: [] };
    const countsOf = new Map<TrieNode, { mine: number; others: number }>();
    const visit = (node: TrieNode): { mine: number; others: number } => {
      let mine = 0;
      let others = 0;
      for (const child of node.children.values()) {
        const c = visit(child);
        mine += c.mine;
        others += c.others;
      }
      for (const r of node.routes) (isMine(r) ? mine++ : others++);
      countsOf.set(node, { mine, others });
      return { mine, others };
    };
    const total = visit(this.root);
    if (total.mine === 0) return result;
    const collect = (node: TrieNode): void => {
      const counts = countsOf.get(node)!;
      if (counts.mine === 0) return;
      if (counts.others === 0) {
        // The tightest prefix over the same routes: unknown paths beside them stay on legacy.
        let tight = node;
        while (tight.routes.length === 0 && tight.children.size === 1) tight = [...tight.children.values()][0];
        result.prefixes.push(tight.path);
        return;
      }
      for (const key of [...node.children.keys()].sort()) collect(node.children.get(key)!);
      const exact = new Map<string, boolean>();
      for (const r of node.routes) {
        if (!isMine(r)) continue;
        exact.set(r.path, exact.get(r.path) ?? false);
      }
      for (const r of node.routes) if (!isMine(r) && exact.has(r.path)) exact.set(r.path, true);
      for (const [path, split] of [...exact].sort(([a], [b]) => a.localeCompare(b))) {
        result.exactPaths.push(path);
        if (split) result.methodSplit.push(path);
      }
    };
    collect(this.root);
    return result;
  }
}
