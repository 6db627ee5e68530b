/**
 * The force layout (d3-force), run in a worker (layout-worker.ts) or, where no worker can start,
 * in slices on the main thread. Deterministic: the same input gives the same picture.
 */
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type Simulation, type SimulationNodeDatum } from 'd3-force';

export interface LayoutRequest {
  run: number;
  /** Start positions and radii, one per node. */
  x: Float32Array;
  y: Float32Array;
  r: Float32Array;
  /** Cluster of each node (its folder): siblings are pulled together. */
  group: Int32Array;
  /** Links as node index pairs, and how many module pairs each stands for. */
  links: Int32Array;
  weights: Float32Array;
  /** 1 for a fresh layout, lower to settle after a small change. */
  alpha: number;
}

export interface LayoutFrame {
  run: number;
  x: Float32Array;
  y: Float32Array;
  done: boolean;
  ticks: number;
}

interface Node extends SimulationNodeDatum {
  r: number;
  group: number;
}

export class ForceLayout {
  private readonly sim: Simulation<Node, undefined>;
  private readonly nodes: Node[];
  ticks = 0;

  constructor(private readonly req: LayoutRequest) {
    const n = req.x.length;
    this.nodes = Array.from({ length: n }, (_, i) => ({ index: i, x: req.x[i], y: req.y[i], r: req.r[i], group: req.group[i] }));
    const degree = new Float32Array(n);
    const links: { source: number; target: number; w: number }[] = [];
    for (let i = 0; i < req.links.length; i += 2) {
      links.push({ source: req.links[i], target: req.links[i + 1], w: req.weights[i >> 1] });
      degree[req.links[i]]++;
      degree[req.links[i + 1]]++;
    }
    const end = (x: unknown): Node => x as Node;
    const same = (l: { source: unknown; target: unknown }): boolean => end(l.source).group === end(l.target).group;
    let seed = 0x2f6b1d;
    const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
    const big = n > 2000;
    this.sim = forceSimulation(this.nodes)
      .randomSource(random)
      .alpha(req.alpha)
      .alphaDecay(big ? 0.045 : 0.0228)
      .velocityDecay(0.45)
      .force(
        'link',
        forceLink<Node, { source: number; target: number; w: number }>(links)
          // within a folder short and firm, across folders long and loose: folders read as clusters
          .distance((l) => end(l.source).r + end(l.target).r + (same(l) ? 26 : 70))
          .strength((l) => (same(l) ? 0.8 : 0.12) * Math.min(1, Math.sqrt(l.w)) / Math.max(1, Math.min(degree[end(l.source).index!], degree[end(l.target).index!]))),
      )
      .force('charge', forceManyBody<Node>().strength((d) => -20 - d.r * 3).theta(big ? 1.2 : 0.9).distanceMax(600))
      .force('collide', forceCollide<Node>((d) => d.r + 2).iterations(big ? 1 : 2))
      .force('x', forceX<Node>(0).strength(0.03))
      .force('y', forceY<Node>(0).strength(0.03))
      .force('group', groupForce(this.nodes, 0.25))
      .stop();
  }

  get done(): boolean {
    return this.sim.alpha() < this.sim.alphaMin() || this.ticks >= 400;
  }

  /** Runs ticks until `budgetMs` is spent (at least one), then says where everything is. */
  step(budgetMs: number): LayoutFrame {
    const end = performance.now() + budgetMs;
    do {
      this.sim.tick();
      this.ticks++;
    } while (!this.done && performance.now() < end);
    const n = this.nodes.length;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = this.nodes[i].x!;
      y[i] = this.nodes[i].y!;
    }
    return { run: this.req.run, x, y, done: this.done, ticks: this.ticks };
  }
}

/** Pulls each node toward the centre of its group: a folder's modules stay together. */
function groupForce(nodes: Node[], strength: number): (alpha: number) => void {
  return (alpha) => {
    const sx = new Map<number, number>();
    const sy = new Map<number, number>();
    const count = new Map<number, number>();
    for (const d of nodes) {
      sx.set(d.group, (sx.get(d.group) ?? 0) + d.x!);
      sy.set(d.group, (sy.get(d.group) ?? 0) + d.y!);
      count.set(d.group, (count.get(d.group) ?? 0) + 1);
    }
    const k = strength * alpha;
    for (const d of nodes) {
      const c = count.get(d.group)!;
      if (c < 2) continue;
      d.vx! += (sx.get(d.group)! / c - d.x!) * k;
      d.vy! += (sy.get(d.group)! / c - d.y!) * k;
    }
  };
}
