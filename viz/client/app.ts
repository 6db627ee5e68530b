/**
 * The viewer: the report, what is drawn (the folder cut), what is selected, and the wiring
 * between the graph, the side lists, the panel and the URL.
 */
import { hierarchy, pack } from 'd3-hierarchy';
import { zoomIdentity } from 'd3-zoom';
import type { Report } from '../../analyzer/types';
import { candidateCut, type CandidateCut } from '../model/candidate';
import { computeCut, hideMatcher, initialExpanded, type Cut, type Item } from '../model/cut';
import { diffReports, type ReportDiff } from '../model/diff';
import { candidateFocus, cutStates, modulesFocus, type EdgeState, type Focus, type NodeState } from '../model/focus';
import { basename, ViewGraph } from '../model/graph';
import type { DrawnEdge, DrawnNode } from '../model/hooks';
import { formatState, parseState, type ViewState } from '../model/url-state';
import { HIGHLIGHT, modulesOf, palette, type Palette } from './colors';
import { byId } from './dom';
import { Layout } from './layout';
import { renderCandidatePanel, renderEdgePanel, renderFolderPanel, renderModulePanel, renderOverview } from './panel';
import { CanvasView, type Scene, type SceneEdge, type SceneNode } from './render';
import { Sidebar } from './sidebar';
import { renderChanges, renderLegend } from './overlays';
import type { LayoutFrame } from './sim';

const EDGE = '#8a93a6';
const STATE_FILL: Partial<Record<NodeState, string>> = {
  dependent: HIGHLIGHT.dependents,
  dependency: HIGHLIGHT.dependencies,
  both: HIGHLIGHT.both,
  member: HIGHLIGHT.member,
  caller: HIGHLIGHT.dependents,
  callee: HIGHLIGHT.dependencies,
};
const EDGE_COLOR: Partial<Record<EdgeState, string>> = {
  dependent: HIGHLIGHT.dependents,
  dependency: HIGHLIGHT.dependencies,
  inbound: HIGHLIGHT.dependents,
  outbound: HIGHLIGHT.dependencies,
};

/** A file name, with its folder when the name alone says little (`feed/index.ts`). */
export function moduleLabel(id: string): string {
  const base = basename(id);
  if (!/^index\.[cm]?[jt]sx?$/.test(base)) return base;
  const dir = id.slice(0, id.length - base.length - 1);
  return `${basename(dir) || '.'}/${base}`;
}

export const radius = (loc: number): number => Math.min(90, Math.max(3, 2.5 + Math.sqrt(Math.max(0, loc)) * 0.32));

export class App {
  g: ViewGraph;
  state: ViewState;
  expanded = new Set<number>();
  cut!: Cut;
  focus: Focus | null = null;
  candidateCut: CandidateCut | null = null;
  private states: { nodes: NodeState[]; edges: EdgeState[] } = { nodes: [], edges: [] };
  private palette!: Palette;
  private readonly positions = new Map<string, [number, number]>();
  private itemIndex = new Map<string, number>();
  private layoutDone = false;
  private userMoved = false;
  private searchHits = new Set<number>();
  private changed = new Set<string>();
  private changedTimer: ReturnType<typeof setTimeout> | undefined;
  lastDiff: ReportDiff | null = null;
  updates = 0;
  readonly view: CanvasView;
  readonly layout: Layout;
  readonly sidebar: Sidebar;
  readonly firstPicture: Promise<number>;

  constructor(report: Report) {
    this.g = new ViewGraph(report);
    this.state = parseState(location.hash);
    this.view = new CanvasView(byId<HTMLCanvasElement>('graph'));
    this.firstPicture = new Promise((resolve) => (this.view.onFirstPicture = () => resolve(performance.now())));
    this.layout = new Layout((f) => this.onLayoutFrame(f));
    this.sidebar = new Sidebar(this);
    this.view.onTransform = (_t, byUser) => {
      if (byUser) this.userMoved = true;
      this.scheduleUrl();
    };
    this.bindCanvas();
    this.applyExpansion();
    this.rebuild();
    if (this.state.zoom) {
      this.userMoved = true;
      this.view.setTransform(zoomIdentity.translate(this.state.zoom[0], this.state.zoom[1]).scale(this.state.zoom[2]));
    }
    window.addEventListener('hashchange', () => {
      if (location.hash === this.writtenHash) return;
      this.state = parseState(location.hash);
      this.applyExpansion();
      this.rebuild();
    });
  }

  // ---- state changes -------------------------------------------------------------------------

  /** Select a module (`m:`), folder (`f:`) or edge (`e:`), or nothing; `reveal` opens folders and moves the view to it. */
  select(selection: string | null, reveal = false): void {
    this.state.selection = selection;
    if (selection) this.state.candidate = null;
    if (selection?.startsWith('m:') && reveal) {
      const m = this.g.index.get(selection.slice(2));
      if (m !== undefined && this.openTo(m)) {
        this.rebuild();
        this.revealWhenPlaced(m);
        return;
      }
      if (m !== undefined) this.revealWhenPlaced(m);
    }
    this.restyle();
  }

  selectCandidate(id: string | null, reveal = true): void {
    this.state.candidate = id;
    if (id) this.state.selection = null;
    const c = id ? this.g.candidate(id) : undefined;
    if (c && reveal) {
      let opened = false;
      for (const mid of c.modules) {
        const m = this.g.index.get(mid);
        if (m !== undefined && this.openTo(m)) opened = true;
      }
      if (opened) this.rebuild();
      else this.restyle();
      // the members and the modules across the boundary: what extracting it would cut
      const f = this.focus!;
      const shown = [...f.selected, ...f.dependents.keys(), ...f.dependencies.keys()].map((m) => this.cut.itemOf[m]).filter((i) => i >= 0);
      if (this.layoutDone) this.view.setTransform(this.view.fitTransform([...new Set(shown)], 60), 350);
      return;
    }
    this.restyle();
  }

  setColor(mode: ViewState['color']): void {
    this.state.color = mode;
    this.restyle();
  }

  setDepth(depth: number | null): void {
    this.state.depth = depth;
    this.restyle();
  }

  setTypeOnly(show: boolean): void {
    this.state.typeOnly = show;
    this.rebuild();
  }

  setHide(patterns: string[]): void {
    this.state.hide = patterns;
    this.rebuild();
  }

  toggleFolder(fi: number): void {
    if (fi === 0) return;
    if (this.expanded.has(fi)) this.collapse(fi);
    else this.expand(fi);
  }

  expand(fi: number): void {
    this.expanded.add(fi);
    this.rememberExpansion();
    this.rebuild();
  }

  collapse(fi: number): void {
    // closing a folder closes everything below it
    const stack = [fi];
    while (stack.length) {
      const f = stack.pop()!;
      this.expanded.delete(f);
      stack.push(...this.g.folders[f].children);
    }
    this.rememberExpansion();
    if (this.state.selection?.startsWith('m:')) {
      const m = this.g.index.get(this.state.selection.slice(2));
      if (m !== undefined && this.g.ancestors(m).includes(fi)) this.state.selection = `f:${this.g.folders[fi].path}`;
    }
    this.rebuild();
  }

  expandAll(): void {
    for (const f of this.g.folders) this.expanded.add(f.index);
    this.rememberExpansion();
    this.rebuild();
  }

  /** Back to folders first: every folder closed but the chain of single folders everything lives in (`src/`). */
  collapseAll(): void {
    this.expanded = new Set([0]);
    for (let f = this.g.folders[0]; f.children.length === 1; ) {
      f = this.g.folders[f.children[0]];
      this.expanded.add(f.index);
    }
    this.rememberExpansion();
    if (this.state.selection?.startsWith('m:')) this.state.selection = null;
    this.rebuild();
  }

  fit(): void {
    this.view.setTransform(this.view.fitTransform(), 300);
  }

  /** A new report of the same project (`--watch`): the view keeps its selection, folders and zoom, and says what changed. */
  setReport(report: Report, info: { parsed?: string[]; durationMs?: number; fresh?: boolean } = {}): void {
    if (info.fresh) {
      // another project (a report opened from disk): nothing carries over
      this.g = new ViewGraph(report);
      this.positions.clear();
      this.state = { ...this.state, selection: null, candidate: null, open: null, zoom: null, hide: [] };
      this.userMoved = false;
      this.lastDiff = null;
      this.updates++;
      this.sidebar.reportChanged();
      byId('changes').hidden = true;
      this.applyExpansion();
      this.rebuild();
      return;
    }
    const before = this.g;
    const openPaths = new Set([...this.expanded].map((f) => before.folders[f].path));
    this.lastDiff = diffReports(before.report, report);
    this.g = new ViewGraph(report);
    this.expanded = new Set(this.g.folders.filter((f) => f.index === 0 || openPaths.has(f.path)).map((f) => f.index));
    // new folders open when their parent is open, so a new file shows up where it was added
    for (const f of this.g.folders) if (!before.folders.some((b) => b.path === f.path) && (f.parent < 0 || this.expanded.has(f.parent))) this.expanded.add(f.index);
    if (this.state.selection?.startsWith('m:') && !this.g.index.has(this.state.selection.slice(2))) this.state.selection = null;
    if (this.state.candidate && !this.g.candidate(this.state.candidate)) this.state.candidate = null;
    this.changed = new Set([...this.lastDiff.modulesAdded, ...this.lastDiff.modulesChanged, ...this.lastDiff.edgesAdded.map((e) => e.from), ...this.lastDiff.edgesRemoved.map((e) => e.from)]);
    clearTimeout(this.changedTimer);
    this.changedTimer = setTimeout(() => {
      this.changed.clear();
      this.restyle();
    }, 8000);
    this.updates++;
    this.sidebar.reportChanged();
    renderChanges(this, this.lastDiff, info);
    this.rebuild(0.12);
    // the frame drawing the new report runs before this callback in the same animation frame
    requestAnimationFrame(() => (this.lastUpdateDrawnAt = Date.now()));
  }

  /** Date.now() when the last --watch update was drawn: the benchmark's end of a change-to-picture measurement. */
  lastUpdateDrawnAt = 0;

  setSearchHits(modules: number[]): void {
    this.searchHits = new Set(modules);
    this.restyle();
  }

  // ---- building what is drawn ----------------------------------------------------------------

  private applyExpansion(): void {
    if (this.state.open) {
      const open = new Set(this.state.open);
      this.expanded = new Set(this.g.folders.filter((f) => f.index === 0 || open.has(f.path)).map((f) => f.index));
    } else this.expanded = initialExpanded(this.g);
    const sel = this.state.selection;
    if (sel?.startsWith('m:')) {
      const m = this.g.index.get(sel.slice(2));
      if (m !== undefined) this.openTo(m);
    }
    for (const mid of (this.state.candidate && this.g.candidate(this.state.candidate)?.modules) || []) {
      const m = this.g.index.get(mid);
      if (m !== undefined) this.openTo(m);
    }
  }

  private rememberExpansion(): void {
    this.state.open = [...this.expanded].filter((f) => f !== 0).map((f) => this.g.folders[f].path).sort();
  }

  /** Opens the folders down to a module; says whether any was closed. */
  private openTo(m: number): boolean {
    let opened = false;
    for (const f of this.g.ancestors(m)) {
      if (!this.expanded.has(f)) {
        this.expanded.add(f);
        opened = true;
      }
    }
    if (opened) this.rememberExpansion();
    return opened;
  }

  /** The cut changed (folders, hidden modules, edge kinds, a new report): new items are placed, then the layout settles. */
  private rebuild(alpha?: number): void {
    const hide = hideMatcher(this.state.hide);
    this.cut = computeCut(this.g, this.expanded, (m) => hide(this.g.ids[m]), this.state.typeOnly);
    this.itemIndex = new Map(this.cut.items.map((it, i) => [it.key, i]));
    const fresh = this.cut.items.every((it) => !this.positions.has(it.key));
    const { x, y } = this.placeItems();
    this.view.setPositions(x, y);
    this.layoutDone = false;
    this.restyle();
    const items = this.cut.items;
    const links = new Int32Array(this.cut.edges.length * 2);
    const weights = new Float32Array(this.cut.edges.length);
    this.cut.edges.forEach((e, i) => {
      links[2 * i] = e.source;
      links[2 * i + 1] = e.target;
      weights[i] = e.pairs.length;
    });
    const known = items.filter((it) => this.positions.has(it.key)).length;
    this.layout.start({
      x: Float32Array.from(x),
      y: Float32Array.from(y),
      r: Float32Array.from(items, (it) => radius(it.loc)),
      group: Int32Array.from(items, (it) => it.group),
      links,
      weights,
      alpha: alpha ?? (fresh ? 0.7 : known === items.length ? 0.1 : 0.35),
    });
    if (fresh && !this.state.zoom) this.view.setTransform(this.view.fitTransform());
  }

  /**
   * Start positions: where an item was; else around the folder it came out of; else at the
   * centre of the modules a new folder node swallowed; else a circle packing of the folder tree
   * (d3-hierarchy), which is also the first picture of a fresh view.
   */
  private placeItems(): { x: Float32Array; y: Float32Array } {
    const items = this.cut.items;
    const x = new Float32Array(items.length);
    const y = new Float32Array(items.length);
    const missing: number[] = [];
    items.forEach((it, i) => {
      const p = this.positions.get(it.key);
      if (p) [x[i], y[i]] = p;
      else missing.push(i);
    });
    if (!missing.length) return { x, y };
    const packed = this.packCut();
    for (const i of missing) {
      const it = items[i];
      let placed = false;
      if (it.kind === 'module' || it.kind === 'folder') {
        // the nearest ancestor folder that had a position: the folder just opened
        const chain = it.kind === 'module' ? this.g.ancestors(it.index) : this.g.ancestors(this.g.folders[it.index].modules[0] ?? -1).slice(0, -1);
        for (let a = chain.length - 1; a >= 1 && !placed; a--) {
          const old = this.positions.get(`f:${this.g.folders[chain[a]].path}`);
          const centre = packed.folders.get(chain[a]);
          if (old && centre) {
            x[i] = old[0] + (packed.x[i] - centre[0]) * 0.6;
            y[i] = old[1] + (packed.y[i] - centre[1]) * 0.6;
            placed = true;
          }
        }
      }
      if (!placed && it.kind === 'folder') {
        let sx = 0;
        let sy = 0;
        let n = 0;
        for (const m of modulesOf(this.g, it)) {
          const p = this.positions.get(`m:${this.g.ids[m]}`);
          if (p) {
            sx += p[0];
            sy += p[1];
            n++;
          }
        }
        if (n) {
          x[i] = sx / n;
          y[i] = sy / n;
          placed = true;
        }
      }
      if (!placed) {
        x[i] = packed.x[i];
        y[i] = packed.y[i];
      }
    }
    return { x, y };
  }

  private packCut(): { x: Float32Array; y: Float32Array; folders: Map<number, [number, number]> } {
    interface PNode {
      folder?: number;
      item?: number;
      children?: PNode[];
      value?: number;
    }
    const byFolder = new Map<number, PNode>();
    const nodeOf = (fi: number): PNode => {
      let n = byFolder.get(fi);
      if (!n) {
        n = { folder: fi, children: [] };
        byFolder.set(fi, n);
        const parent = this.g.folders[fi].parent;
        if (parent >= 0) nodeOf(parent).children!.push(n);
      }
      return n;
    };
    const root = nodeOf(0);
    this.cut.items.forEach((it, i) => {
      const r = radius(it.loc) + 3;
      nodeOf(it.kind === 'module' ? it.index >= 0 ? this.g.folderOf[it.index] : 0 : this.g.folders[it.index].parent).children!.push({ item: i, value: r * r });
    });
    const h = hierarchy<PNode>(root, (d) => d.children).sum((d) => d.value ?? 0);
    const size = Math.sqrt(h.value ?? 1) * 2.4;
    const laid = pack<PNode>().size([size, size]).padding(6)(h);
    const x = new Float32Array(this.cut.items.length);
    const y = new Float32Array(this.cut.items.length);
    const folders = new Map<number, [number, number]>();
    for (const n of laid.descendants()) {
      if (n.data.item !== undefined) {
        x[n.data.item] = n.x - size / 2;
        y[n.data.item] = n.y - size / 2;
      } else if (n.data.folder !== undefined) folders.set(n.data.folder, [n.x - size / 2, n.y - size / 2]);
    }
    return { x, y, folders };
  }

  private onLayoutFrame(f: LayoutFrame): void {
    if (f.x.length !== this.cut.items.length) return;
    this.cut.items.forEach((it, i) => this.positions.set(it.key, [f.x[i], f.y[i]]));
    this.view.setPositions(f.x, f.y, !f.done);
    if (f.done) {
      this.layoutDone = true;
      if (!this.userMoved) this.view.setTransform(this.view.fitTransform(), 250);
      this.pendingReveal?.();
    }
  }

  private pendingReveal: (() => void) | null = null;

  private revealWhenPlaced(m: number): void {
    this.pendingReveal = () => {
      this.pendingReveal = null;
      const i = this.cut.itemOf[m];
      if (i < 0) return;
      const [px, py] = this.view.position(i);
      const [w, h] = this.view.size;
      const k = Math.max(this.view.transform.k, 1);
      this.userMoved = true;
      this.view.setTransform(zoomIdentity.translate(w / 2 - px * k, h / 2 - py * k).scale(k), 350);
    };
    if (this.layoutDone) this.pendingReveal();
  }

  /** Colours, highlights, panel, legend and URL: everything that does not move nodes. */
  restyle(): void {
    this.palette = palette(this.g, this.state.color);
    this.focus = this.computeFocus();
    this.states = cutStates(this.cut, this.focus);
    this.view.setScene(this.scene());
    renderLegend(this, this.palette);
    this.renderPanel();
    this.sidebar.render();
    this.scheduleUrl();
  }

  private computeFocus(): Focus | null {
    this.candidateCut = null;
    const c = this.state.candidate ? this.g.candidate(this.state.candidate) : undefined;
    if (c) {
      this.candidateCut = candidateCut(this.g, c);
      return candidateFocus(this.g, c.modules, this.candidateCut);
    }
    const sel = this.state.selection;
    if (sel?.startsWith('m:')) {
      const m = this.g.index.get(sel.slice(2));
      if (m !== undefined) return modulesFocus(this.g, [m], this.state.depth);
    }
    if (sel?.startsWith('f:')) {
      const f = this.folderByPath(sel.slice(2));
      if (f) return modulesFocus(this.g, modulesOf(this.g, { kind: 'folder', index: f.index } as Item), this.state.depth);
    }
    return null;
  }

  private scene(): Scene {
    const { items, edges } = this.cut;
    const focused = this.focus !== null;
    const sel = this.selectedItem();
    const selEdge = this.selectedEdge();
    const smallFocus = focused && this.states.nodes.filter((s) => s !== 'dim').length <= 60;
    const nodes: SceneNode[] = items.map((it, i) => {
      const state = this.states.nodes[i];
      const base = this.palette.color(it);
      const hit = it.kind === 'module' ? this.searchHits.has(it.index) : false;
      const changed = it.kind === 'module' && this.changed.has(this.g.ids[it.index]);
      return {
        r: radius(it.loc),
        fill: STATE_FILL[state] ?? base,
        folder: it.kind === 'folder',
        label: it.kind === 'module' ? moduleLabel(this.g.ids[it.index]) : `${this.g.folders[it.index].name}/`,
        alpha: state === 'dim' ? 0.16 : 1,
        ring: i === sel ? HIGHLIGHT.selected : hit ? HIGHLIGHT.search : changed ? HIGHLIGHT.changed : state === 'selected' ? HIGHLIGHT.selected : null,
        labelled: i === sel ? 2 : hit || changed || it.kind === 'folder' || (smallFocus && state !== 'dim') ? 1 : 0,
        badge: it.kind === 'folder' ? String(it.count) : null,
      };
    });
    const many = edges.length > 3000;
    const sceneEdges: SceneEdge[] = edges.map((e, i) => {
      const state = this.states.edges[i];
      const n = e.pairs.length;
      const width = Math.min(6, 1 + Math.log2(n) * 0.8);
      const dash = e.runtime === 0;
      if (i === selEdge) return { s: e.source, t: e.target, color: HIGHLIGHT.selected, width: width + 1.5, dash, alpha: 1, arrow: true };
      const hl = EDGE_COLOR[state];
      if (hl) return { s: e.source, t: e.target, color: hl, width: width + 0.6, dash, alpha: 0.9, arrow: true };
      const cycle = e.inCycle;
      return {
        s: e.source,
        t: e.target,
        color: cycle ? HIGHLIGHT.cycle : EDGE,
        width: cycle ? width + 0.6 : width,
        dash,
        alpha: focused ? 0.07 : cycle ? 0.85 : many ? 0.22 : 0.5,
        arrow: !focused && cycle,
      };
    });
    return { nodes, edges: sceneEdges };
  }

  folderByPath(path: string): ViewGraph['folders'][number] | undefined {
    return this.g.folders.find((f) => f.path === path);
  }

  selectedItem(): number {
    const sel = this.state.selection;
    if (!sel || sel.startsWith('e:')) return -1;
    if (sel.startsWith('m:')) {
      const m = this.g.index.get(sel.slice(2));
      return m === undefined ? -1 : this.cut.itemOf[m];
    }
    return this.itemIndex.get(sel) ?? -1;
  }

  selectedEdge(): number {
    const sel = this.state.selection;
    if (!sel?.startsWith('e:')) return -1;
    const [a, b] = sel.slice(2).split('>');
    const s = this.itemIndex.get(a);
    const t = this.itemIndex.get(b);
    return this.cut.edges.findIndex((e) => e.source === s && e.target === t);
  }

  private renderPanel(): void {
    const panel = byId('panel');
    panel.replaceChildren();
    const c = this.state.candidate ? this.g.candidate(this.state.candidate) : undefined;
    const sel = this.state.selection;
    if (c && this.candidateCut) panel.append(renderCandidatePanel(this, c, this.candidateCut));
    else if (sel?.startsWith('m:') && this.g.index.has(sel.slice(2))) panel.append(renderModulePanel(this, this.g.index.get(sel.slice(2))!));
    else if (sel?.startsWith('f:') && this.folderByPath(sel.slice(2))) panel.append(renderFolderPanel(this, this.folderByPath(sel.slice(2))!.index));
    else if (sel?.startsWith('e:') && this.selectedEdge() >= 0) panel.append(renderEdgePanel(this, this.cut.edges[this.selectedEdge()]));
    else panel.append(renderOverview(this));
  }

  // ---- input ---------------------------------------------------------------------------------

  private bindCanvas(): void {
    const canvas = this.view.canvas;
    const tooltip = byId('tooltip');
    const at = (e: MouseEvent): [number, number] => {
      const rect = canvas.getBoundingClientRect();
      return [e.clientX - rect.left, e.clientY - rect.top];
    };
    canvas.addEventListener('click', (e) => {
      const [px, py] = at(e);
      const i = this.view.nodeAt(px, py);
      if (i >= 0) {
        const it = this.cut.items[i];
        if (it.kind === 'folder') {
          this.expand(it.index);
          return;
        }
        this.select(`m:${this.g.ids[it.index]}`);
        return;
      }
      const ei = this.view.edgeAt(px, py);
      if (ei >= 0) {
        const edge = this.cut.edges[ei];
        this.select(`e:${this.cut.items[edge.source].key}>${this.cut.items[edge.target].key}`);
        return;
      }
      this.state.candidate = null;
      this.select(null);
    });
    canvas.addEventListener('mousemove', (e) => {
      const [px, py] = at(e);
      const i = this.view.nodeAt(px, py);
      canvas.style.cursor = i >= 0 ? 'pointer' : '';
      if (i < 0) {
        tooltip.hidden = true;
        return;
      }
      const it = this.cut.items[i];
      tooltip.textContent =
        it.kind === 'module'
          ? `${this.g.ids[it.index]} · ${this.g.modules[it.index].loc} loc · blast radius ${this.g.modules[it.index].blastRadius}`
          : `${this.g.folders[it.index].path}/ · ${it.count} modules · ${it.loc} loc · click to open`;
      tooltip.style.left = `${px + 14}px`;
      tooltip.style.top = `${py + 10}px`;
      tooltip.hidden = false;
    });
    canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
    window.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLInputElement)) {
        this.state.candidate = null;
        this.select(null);
      }
    });
  }

  // ---- URL -----------------------------------------------------------------------------------

  private urlTimer: ReturnType<typeof setTimeout> | undefined;
  private writtenHash = '';

  private scheduleUrl(): void {
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => {
      const t = this.view.transform;
      this.state.zoom = this.userMoved ? [t.x, t.y, t.k] : null;
      const hash = formatState(this.state);
      if (hash === location.hash || (hash === '' && location.hash === '')) return;
      this.writtenHash = hash;
      history.replaceState(null, '', hash || `${location.pathname}${location.search}`);
    }, 150);
  }

  // ---- read by tests and the benchmark -------------------------------------------------------

  /** What is drawn, with screen positions: `window.strangler.nodes()`. */
  drawnNodes(): DrawnNode[] {
    const scene = this.scene();
    return this.cut.items.map((it, i) => {
      const [x, y] = this.view.screenPosition(i);
      return {
        key: it.key,
        kind: it.kind,
        id: it.kind === 'module' ? this.g.ids[it.index] : this.g.folders[it.index].path,
        x,
        y,
        r: scene.nodes[i].r * this.view.transform.k,
        state: this.states.nodes[i],
        fill: scene.nodes[i].fill,
      };
    });
  }

  drawnEdges(): DrawnEdge[] {
    return this.cut.edges.map((e, i) => ({
      source: this.cut.items[e.source].key,
      target: this.cut.items[e.target].key,
      pairs: e.pairs.length,
      state: this.states.edges[i],
      typeOnly: e.runtime === 0,
      inCycle: e.inCycle,
    }));
  }

  get settled(): boolean {
    return this.layoutDone && !this.view.moving;
  }
}
