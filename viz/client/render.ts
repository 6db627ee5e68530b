/**
 * The canvas renderer. Measured against SVG in the real browser (bench/viz): SVG's frame time grows
 * with the element count (about 67 ms a frame at 1,000 nodes and 5,000 edges), canvas draws the same in
 * 13 ms, and a 5,000-node graph still costs 60 ms to draw in full in software. So while a pan or zoom
 * is under way and a full draw is slow, the last full picture is moved as a bitmap (about 3 ms a
 * frame at any size), and the full picture is drawn again when the gesture rests.
 */
import { select } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';

export interface SceneNode {
  r: number;
  fill: string;
  folder: boolean;
  label: string;
  /** 0..1; dimmed nodes are drawn faint. */
  alpha: number;
  /** A ring around the node (selection, candidate member, search hit, changed). */
  ring: string | null;
  /** Label priority, whatever the zoom: 2 always (the selection), 1 first where there is room (highlighted), 0 when big enough on screen. */
  labelled: 0 | 1 | 2;
  /** A folder's module count, drawn on it. */
  badge: string | null;
}

export interface SceneEdge {
  s: number;
  t: number;
  color: string;
  width: number;
  dash: boolean;
  alpha: number;
  /** Drawn with an arrowhead (highlighted edges): which way the import goes. */
  arrow: boolean;
}

export interface Scene {
  nodes: SceneNode[];
  edges: SceneEdge[];
}

/** A full draw slower than this switches pans and zooms to moving the last picture. */
const SLOW_DRAW_MS = 12;
/**
 * So does a picture with more drawn nodes and edges than this: the canvas commands are recorded
 * in a few milliseconds, but software rasterizing them costs more at paint time, which the draw's
 * own timing does not see (bench/viz: 1,000 nodes and 4,700 edges redrawn every frame drop frames).
 */
const SLOW_ELEMENTS = 2500;
/**
 * While the layout moves a picture with more edges than this, only its nodes are drawn: software
 * rasterizing 47,000 moving lines 30 times a second kept the 10,000-module tab busy for seconds.
 */
const SETTLING_EDGES = 30000;
/** Frames this long while drawing in full during a gesture switch it to the bitmap. */
const SLOW_FRAME_MS = 24;
/** Labels drawn in one frame at most (text is the costly part of a frame). */
const MAX_LABELS = 400;

export class CanvasView {
  private readonly ctx: CanvasRenderingContext2D;
  private scene: Scene = { nodes: [], edges: [] };
  /** Indices of edges and nodes drawn with one stroke or fill each, faint first. */
  private edgeBatches: number[][] = [];
  private nodeBatches: number[][] = [];
  private x: Float32Array = new Float32Array(0);
  private y: Float32Array = new Float32Array(0);
  private dpr = 1;
  private width = 0;
  private height = 0;
  private frameRequested = false;
  private gesture = false;
  private restTimer: ReturnType<typeof setTimeout> | undefined;
  private snapshot: { canvas: HTMLCanvasElement; t: ZoomTransform } | null = null;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  transform: ZoomTransform = zoomIdentity;
  private settling = false;
  /** A glide to a new transform is under way. */
  moving = false;
  private glide = 0;
  /** Pixels at the bottom covered by the legend: a fit keeps the graph above it. */
  bottomInset = 0;
  /** Figures of the last frame: read by the page's tests and the benchmark. */
  readonly stats = { lastFullDrawMs: 0, frames: 0, fullDraws: 0, bitmapFrames: 0, drawnNodes: 0, drawnEdges: 0 };
  /** Called on every transform change; `byUser` when a wheel, drag or touch made it (not a fit or a glide). */
  onTransform: (t: ZoomTransform, byUser: boolean) => void = () => undefined;
  onFirstPicture: (() => void) | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    this.zoomBehavior = d3zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.02, 12])
      // the size we already know: d3's default reads the element's size on every event, forcing a layout
      .extent(() => [
        [0, 0],
        [this.width, this.height],
      ])
      .on('start', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        // only a person's gesture moves the bitmap; a fit or a glide draws every frame
        if (!e.sourceEvent) return;
        this.gesture = true;
        clearTimeout(this.restTimer);
        if (this.slow()) this.takeSnapshot();
      })
      .on('zoom', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        this.transform = e.transform;
        this.request();
        this.onTransform(e.transform, e.sourceEvent !== null && e.sourceEvent !== undefined);
      })
      .on('end', () => {
        if (!this.gesture) return;
        clearTimeout(this.restTimer);
        this.restTimer = setTimeout(() => {
          this.gesture = false;
          this.snapshot = null;
          this.request();
        }, 120);
      });
    select(canvas).call(this.zoomBehavior).on('dblclick.zoom', null);
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  setScene(scene: Scene): void {
    this.scene = scene;
    this.edgeBatches = batchesOf(scene.edges, (e) => `${e.color}|${e.width}|${e.dash ? 1 : 0}|${e.alpha}|${e.arrow ? 1 : 0}`, (a, b) => a.alpha - b.alpha || a.width - b.width);
    this.nodeBatches = batchesOf(scene.nodes, (n) => `${n.fill}|${n.alpha}`, (a, b) => a.alpha - b.alpha);
    this.snapshot = null;
    this.request();
  }

  /** New positions; `settling` while the layout still moves them (a huge picture then leaves its edges out until it rests). */
  setPositions(x: Float32Array, y: Float32Array, settling = false): void {
    this.x = x;
    this.y = y;
    this.settling = settling;
    this.snapshot = null;
    this.request();
  }

  position(i: number): [number, number] {
    return [this.x[i], this.y[i]];
  }

  /** Where node i is on the screen, in CSS pixels relative to the canvas. */
  screenPosition(i: number): [number, number] {
    return this.transform.apply([this.x[i], this.y[i]]);
  }

  setTransform(t: ZoomTransform, duration = 0): void {
    const sel = select(this.canvas);
    const glide = ++this.glide;
    if (duration > 0) {
      // a short glide without d3-transition: a few frames of interpolated transforms
      const from = this.transform;
      const start = performance.now();
      this.moving = true;
      const step = (now: number): void => {
        if (glide !== this.glide) return;
        const u = Math.min(1, (now - start) / duration);
        const e = u < 0.5 ? 2 * u * u : 1 - (-2 * u + 2) ** 2 / 2;
        this.zoomBehavior.transform(sel, zoomIdentity.translate(from.x + (t.x - from.x) * e, from.y + (t.y - from.y) * e).scale(from.k + (t.k - from.k) * e));
        if (u < 1) requestAnimationFrame(step);
        else this.moving = false;
      };
      requestAnimationFrame(step);
    } else {
      this.moving = false;
      this.zoomBehavior.transform(sel, t);
    }
  }

  /** The transform that fits these nodes (all when none given) in the view. */
  fitTransform(indices?: number[], padding = 40): ZoomTransform {
    const list = indices ?? this.scene.nodes.map((_, i) => i);
    if (!list.length || !this.width) return zoomIdentity.translate(this.width / 2, this.height / 2);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const i of list) {
      const r = this.scene.nodes[i]?.r ?? 0;
      x0 = Math.min(x0, this.x[i] - r);
      y0 = Math.min(y0, this.y[i] - r);
      x1 = Math.max(x1, this.x[i] + r);
      y1 = Math.max(y1, this.y[i] + r);
    }
    const height = Math.max(100, this.height - this.bottomInset);
    const k = Math.min(4, Math.max(0.02, Math.min((this.width - 2 * padding) / Math.max(1, x1 - x0), (height - 2 * padding) / Math.max(1, y1 - y0))));
    return zoomIdentity.translate(this.width / 2 - (k * (x0 + x1)) / 2, height / 2 - (k * (y0 + y1)) / 2).scale(k);
  }

  /** The node under a point (CSS pixels), the topmost and nearest, or -1. */
  nodeAt(px: number, py: number): number {
    const [wx, wy] = this.transform.invert([px, py]);
    const slack = 3 / this.transform.k;
    let best = -1;
    let bestD = Infinity;
    this.scene.nodes.forEach((n, i) => {
      const dx = this.x[i] - wx;
      const dy = this.y[i] - wy;
      const d = Math.sqrt(dx * dx + dy * dy) - n.r;
      if (d <= slack && d < bestD) [best, bestD] = [i, d];
    });
    return best;
  }

  /** The edge under a point (within 4 pixels), or -1. */
  edgeAt(px: number, py: number): number {
    const [wx, wy] = this.transform.invert([px, py]);
    const tolerance = 4 / this.transform.k;
    let best = -1;
    let bestD = tolerance;
    this.scene.edges.forEach((e, i) => {
      const d = segmentDistance(wx, wy, this.x[e.s], this.y[e.s], this.x[e.t], this.y[e.t]);
      if (d < bestD) [best, bestD] = [i, d];
    });
    return best;
  }

  private resize(): void {
    const rect = this.canvas.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.width = rect.width;
    this.height = rect.height;
    this.canvas.width = Math.max(1, Math.round(rect.width * this.dpr));
    this.canvas.height = Math.max(1, Math.round(rect.height * this.dpr));
    this.snapshot = null;
    this.request();
  }

  get size(): [number, number] {
    return [this.width, this.height];
  }

  request(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.frame();
    });
  }

  private slow(): boolean {
    return this.stats.lastFullDrawMs > SLOW_DRAW_MS || this.stats.drawnNodes + this.stats.drawnEdges > SLOW_ELEMENTS;
  }

  private lastFrameAt = 0;
  private slowFrames = 0;

  private frame(): void {
    this.stats.frames++;
    const now = performance.now();
    if (this.gesture && !this.snapshot) {
      this.slowFrames = now - this.lastFrameAt > SLOW_FRAME_MS ? this.slowFrames + 1 : 0;
      if (this.slowFrames >= 2) this.takeSnapshot();
    }
    this.lastFrameAt = now;
    if (this.gesture && this.snapshot) {
      this.drawSnapshot(this.snapshot);
      this.stats.bitmapFrames++;
      return;
    }
    const started = performance.now();
    this.drawFull();
    this.stats.lastFullDrawMs = performance.now() - started;
    this.stats.fullDraws++;
    if (this.onFirstPicture && this.scene.nodes.length && this.x.length === this.scene.nodes.length) {
      const done = this.onFirstPicture;
      this.onFirstPicture = null;
      done();
    }
  }

  private takeSnapshot(): void {
    const c = document.createElement('canvas');
    c.width = this.canvas.width;
    c.height = this.canvas.height;
    c.getContext('2d')!.drawImage(this.canvas, 0, 0);
    this.snapshot = { canvas: c, t: this.transform };
  }

  private drawSnapshot(s: { canvas: HTMLCanvasElement; t: ZoomTransform }): void {
    const ctx = this.ctx;
    const t = this.transform;
    const k = t.k / s.t.k;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(k, 0, 0, k, (t.x - k * s.t.x) * this.dpr, (t.y - k * s.t.y) * this.dpr);
    ctx.drawImage(s.canvas, 0, 0);
  }

  private drawFull(): void {
    const { ctx, dpr } = this;
    const t = this.transform;
    const { nodes, edges } = this.scene;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.x.length !== nodes.length) return;
    ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
    // what is on screen, in layout coordinates, with a margin for big nodes
    const [vx0, vy0] = t.invert([-80, -80]);
    const [vx1, vy1] = t.invert([this.width + 80, this.height + 80]);
    const visible = (i: number): boolean => this.x[i] >= vx0 && this.x[i] <= vx1 && this.y[i] >= vy0 && this.y[i] <= vy1;

    // edges, batched by style (grouped once per scene): a handful of strokes, not one per edge
    const { x, y } = this;
    let drawnEdges = 0;
    // an edge shorter than a pixel is hidden under its nodes anyway
    const minLength2 = (0.8 / t.k) ** 2;
    const batches = this.settling && edges.length > SETTLING_EDGES ? [] : this.edgeBatches;
    for (const batch of batches) {
      const first = edges[batch[0]];
      ctx.beginPath();
      let any = false;
      for (const i of batch) {
        const e = edges[i];
        const x0 = x[e.s];
        const y0 = y[e.s];
        const x1 = x[e.t];
        const y1 = y[e.t];
        if ((x0 < vx0 && x1 < vx0) || (x0 > vx1 && x1 > vx1) || (y0 < vy0 && y1 < vy0) || (y0 > vy1 && y1 > vy1)) continue;
        if ((x1 - x0) ** 2 + (y1 - y0) ** 2 < minLength2) continue;
        ctx.moveTo(x0, y0);
        if (first.arrow) {
          const [ex, ey] = shorten(x0, y0, x1, y1, nodes[e.t].r);
          ctx.lineTo(ex, ey);
        } else ctx.lineTo(x1, y1);
        any = true;
        drawnEdges++;
      }
      if (!any) continue;
      ctx.globalAlpha = first.alpha;
      ctx.strokeStyle = first.color;
      ctx.lineWidth = first.width / t.k;
      ctx.setLineDash(first.dash ? [4 / t.k, 3 / t.k] : []);
      ctx.stroke();
      if (first.arrow) {
        ctx.beginPath();
        for (const i of batch) arrowHead(ctx, x[edges[i].s], y[edges[i].s], x[edges[i].t], y[edges[i].t], nodes[edges[i].t].r, (5 + first.width) / t.k);
        ctx.fillStyle = first.color;
        ctx.fill();
      }
    }
    ctx.setLineDash([]);

    // nodes, batched by fill and alpha; folders are rounded squares
    let drawnNodes = 0;
    for (const batch of this.nodeBatches) {
      const first = nodes[batch[0]];
      ctx.globalAlpha = first.alpha;
      ctx.beginPath();
      for (const i of batch) {
        if (!visible(i) && nodes[i].r * t.k < 40) continue;
        nodeShape(ctx, x[i], y[i], nodes[i]);
        drawnNodes++;
      }
      ctx.fillStyle = first.fill;
      ctx.fill();
      ctx.lineWidth = 1 / t.k;
      ctx.strokeStyle = 'rgba(30,30,40,0.55)';
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (!n.ring) continue;
      ctx.beginPath();
      nodeShape(ctx, this.x[i], this.y[i], { ...n, r: n.r + 2.5 / t.k });
      ctx.lineWidth = 3 / t.k;
      ctx.strokeStyle = n.ring;
      ctx.stroke();
    }

    // labels: the big and the highlighted ones, as many as stay cheap
    const labelled: number[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (!visible(i)) continue;
      if (n.labelled || n.r * t.k >= 7 || (t.k > 1.6 && n.alpha >= 1)) labelled.push(i);
    }
    labelled.sort((a, b) => nodes[b].labelled - nodes[a].labelled || nodes[b].r - nodes[a].r);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.lineJoin = 'round';
    const placed: [number, number, number, number][] = [];
    let count = 0;
    let tried = 0;
    for (const i of labelled) {
      if (count >= MAX_LABELS || ++tried > 3 * MAX_LABELS) break;
      const n = nodes[i];
      const [sx, sy] = t.apply([this.x[i], this.y[i]]);
      const w = ctx.measureText(n.label).width;
      const top = sy + n.r * t.k + 3;
      const box: [number, number, number, number] = [sx - w / 2 - 2, top - 1, sx + w / 2 + 2, top + 13];
      // no label over another one
      if (n.labelled < 2 && placed.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) continue;
      placed.push(box);
      ctx.globalAlpha = Math.max(0.35, n.alpha);
      ctx.lineWidth = 3;
      ctx.strokeStyle = BACKGROUND;
      ctx.strokeText(n.label, sx, top);
      ctx.fillStyle = n.labelled ? '#111' : '#333';
      ctx.fillText(n.label, sx, top);
      count++;
    }
    ctx.globalAlpha = 1;
    ctx.textBaseline = 'middle';
    ctx.font = 'bold 10px system-ui, sans-serif';
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (!n.badge || n.r * t.k < 9 || !visible(i)) continue;
      const [sx, sy] = t.apply([this.x[i], this.y[i]]);
      ctx.fillStyle = 'rgba(255,255,255,0.92)';
      ctx.fillText(n.badge, sx, sy);
    }
    this.stats.drawnNodes = drawnNodes;
    this.stats.drawnEdges = drawnEdges;
  }
}

export const BACKGROUND = '#f8f9fb';

/** Groups item indices by a style key; the groups sorted so that faint ones are drawn first. */
function batchesOf<T>(items: T[], key: (x: T) => string, order: (a: T, b: T) => number): number[][] {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  return [...groups.values()].sort((a, b) => order(items[a[0]], items[b[0]]));
}

function nodeShape(ctx: CanvasRenderingContext2D, x: number, y: number, n: { r: number; folder: boolean }): void {
  if (n.folder) {
    const s = n.r * 0.9;
    ctx.moveTo(x + s, y);
    ctx.roundRect(x - s, y - s, 2 * s, 2 * s, s * 0.3);
  } else {
    ctx.moveTo(x + n.r, y);
    ctx.arc(x, y, n.r, 0, 2 * Math.PI);
  }
}

/** The end of a line at the target's border, so arrowheads are not hidden under the node. */
function shorten(x0: number, y0: number, x1: number, y1: number, r: number): [number, number] {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.sqrt(dx * dx + dy * dy);
  if (len <= r) return [x1, y1];
  return [x1 - (dx / len) * r, y1 - (dy / len) * r];
}

function arrowHead(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, r: number, size: number): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.sqrt(dx * dx + dy * dy);
  if (len <= r + size) return;
  const ux = dx / len;
  const uy = dy / len;
  const tipX = x1 - ux * r;
  const tipY = y1 - uy * r;
  ctx.moveTo(tipX, tipY);
  ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
  ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
  ctx.closePath();
}

function segmentDistance(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
  const cx = x0 + u * dx - px;
  const cy = y0 + u * dy - py;
  return Math.sqrt(cx * cx + cy * cy);
}
