/**
 * The fewest facade rules that move exactly a candidate's routes: path prefixes (the facade's
 * `match.prefix`, segment boundaries) where a whole subtree of the route space is the candidate's,
 * exact path rules (`match.path`, with methods) where it is not.
 */
import type { Route } from '../types';
import { compareText } from './graph';

interface TrieNode {
  path: string;
  parent: TrieNode | null;
  children: Map<string, TrieNode>;
  /** Routes whose literal part ends here (the rest, if any, is parametric). */
  routes: Route[];
  /** Routes in this subtree, all candidates. */
  total: number;
}

export interface RouteCover {
  prefixes: string[];
  /** Distinct route paths that no pure prefix covers; each needs an exact-path facade rule. */
  exactPaths: string[];
  /** Of exactPaths, those another candidate also serves with another method. */
  methodSplit: string[];
}

/**
 * A segment with a parameter, wildcard or pattern matches other segments, and a `<dynamic>` one
 * (a path part the analyzer could not read) is unknown: neither can bound a prefix.
 */
const isLiteral = (segment: string): boolean => !/[:*?()[\]{}+<>]/.test(segment);

/** Computes covers for many candidates over one route set. */
export class RoutePrefixer {
  private readonly root: TrieNode = { path: '/', parent: null, children: new Map(), routes: [], total: 0 };
  private readonly nodeOf = new Map<Route, TrieNode>();

  constructor(allRoutes: Route[]) {
    for (const route of allRoutes) {
      let node = this.root;
      for (const segment of route.path.split('/').filter(Boolean)) {
        if (!isLiteral(segment)) break;
        let child = node.children.get(segment);
        if (!child) {
          child = { path: node.path === '/' ? `/${segment}` : `${node.path}/${segment}`, parent: node, children: new Map(), routes: [], total: 0 };
          node.children.set(segment, child);
        }
        node = child;
      }
      node.routes.push(route);
      this.nodeOf.set(route, node);
      for (let n: TrieNode | null = node; n; n = n.parent) n.total++;
    }
  }

  /** `mine`: the candidate's routes (routes of the constructor's set). */
  cover(mine: Route[]): RouteCover {
    const result: RouteCover = { prefixes: [], exactPaths: [], methodSplit: [] };
    // Only the nodes on the way to the candidate's routes matter: count its routes there.
    const count = new Map<TrieNode, number>();
    const isMine = new Set(mine);
    for (const r of mine) {
      for (let n: TrieNode | null = this.nodeOf.get(r) ?? null; n; n = n.parent) count.set(n, (count.get(n) ?? 0) + 1);
    }
    const collect = (node: TrieNode): void => {
      const own = count.get(node) ?? 0;
      if (own === 0) return;
      if (own === node.total) {
        // The tightest prefix over the same routes: unknown paths beside them stay on legacy.
        let tight = node;
        while (tight.routes.length === 0 && tight.children.size === 1) tight = [...tight.children.values()][0];
        result.prefixes.push(tight.path);
        return;
      }
      for (const key of [...node.children.keys()].sort()) collect(node.children.get(key)!);
      const exact = new Map<string, boolean>();
      for (const r of node.routes) if (isMine.has(r)) exact.set(r.path, false);
      for (const r of node.routes) if (!isMine.has(r) && exact.has(r.path)) exact.set(r.path, true);
      for (const [path, split] of [...exact].sort(([a], [b]) => compareText(a, b))) {
        result.exactPaths.push(path);
        if (split) result.methodSplit.push(path);
      }
    };
    if (mine.length > 0) collect(this.root);
    return result;
  }
}
