/** The controls around the graph: toolbar, search, the ranked candidate list and the folder tree. */
import { search, type Hit } from '../model/search';
import { COLOR_MODES, type ColorMode } from '../model/url-state';
import type { App } from './app';
import { byId, h, num } from './dom';

export class Sidebar {
  private readonly list = byId<HTMLOListElement>('candidates');
  private readonly tree = byId('tree');
  private readonly searchBox = byId<HTMLInputElement>('search');
  private readonly results = byId<HTMLUListElement>('search-results');
  private hits: Hit[] = [];
  private activeHit = -1;
  private listBuiltFor: unknown = null;
  private common = '';

  constructor(private readonly app: App) {
    const color = byId<HTMLSelectElement>('color');
    color.replaceChildren(...COLOR_MODES.map((m) => h('option', { value: m }, LABELS[m])));
    color.addEventListener('change', () => app.setColor(color.value as ColorMode));
    const types = byId<HTMLInputElement>('types');
    types.addEventListener('change', () => app.setTypeOnly(types.checked));
    const depth = byId<HTMLSelectElement>('depth');
    depth.replaceChildren(h('option', { value: '' }, 'all'), ...[1, 2, 3, 4, 5].map((d) => h('option', { value: d }, String(d))));
    depth.addEventListener('change', () => app.setDepth(depth.value ? Number(depth.value) : null));
    const hide = byId<HTMLInputElement>('hide');
    hide.addEventListener('change', () => app.setHide(hide.value.split(',').map((s) => s.trim()).filter(Boolean)));
    byId('fit').addEventListener('click', () => app.fit());
    byId('expand-all').addEventListener('click', () => app.expandAll());
    byId('collapse-all').addEventListener('click', () => app.collapseAll());

    this.searchBox.addEventListener('input', () => this.runSearch());
    this.searchBox.addEventListener('keydown', (e) => this.searchKey(e));
    this.searchBox.addEventListener('blur', () => setTimeout(() => (this.results.hidden = true), 150));
    this.searchBox.addEventListener('focus', () => (this.results.hidden = this.hits.length === 0));

    this.list.addEventListener('keydown', (e) => this.listKey(e));
  }

  /** The report changed (--watch): the candidate list is built again. */
  reportChanged(): void {
    this.listBuiltFor = null;
    if (this.searchBox.value) this.runSearch();
  }

  render(): void {
    const { app } = this;
    byId<HTMLSelectElement>('color').value = app.state.color;
    byId<HTMLInputElement>('types').checked = app.state.typeOnly;
    byId<HTMLSelectElement>('depth').value = app.state.depth === null ? '' : String(app.state.depth);
    const hide = byId<HTMLInputElement>('hide');
    if (document.activeElement !== hide) hide.value = app.state.hide.join(', ');
    this.renderCandidates();
    this.renderTree();
  }

  // ---- candidates: a listbox, ↑/↓/Home/End select, Enter fits the view, Escape clears --------

  private renderCandidates(): void {
    const { app } = this;
    const candidates = app.g.report.candidates;
    if (this.listBuiltFor !== app.g) {
      this.listBuiltFor = app.g;
      // the folder every module lives in (`src/`) says nothing in a list of names
      const root = app.g.folders[0];
      this.common = root.children.length === 1 && root.modules.length === 0 ? `${app.g.folders[root.children[0]].path}/` : '';
      this.list.replaceChildren(
        ...candidates.map((c, i) =>
          h(
            'li',
            { id: `cand-${i}`, role: 'option', 'data-candidate': c.id, onclick: () => app.selectCandidate(c.id) },
            h('span', { class: 'rank' }, String(c.rank)),
            h('span', { class: 'name', title: c.name }, c.name.startsWith(this.common) ? c.name.slice(this.common.length) : c.name),
            h('span', { class: `label label-${c.label}` }, c.label === 'service' ? c.kind : `${c.kind} · library`),
            h('span', { class: 'score' }, c.score.toFixed(2)),
          ),
        ),
      );
      if (!candidates.length) this.list.append(h('li', { class: 'muted' }, 'no candidates'));
    }
    const active = candidates.findIndex((c) => c.id === app.state.candidate);
    for (const li of this.list.children) li.setAttribute('aria-selected', String(li.id === `cand-${active}`));
    if (active >= 0) {
      this.list.setAttribute('aria-activedescendant', `cand-${active}`);
      byId(`cand-${active}`).scrollIntoView({ block: 'nearest' });
    } else this.list.removeAttribute('aria-activedescendant');
  }

  private listKey(e: KeyboardEvent): void {
    const candidates = this.app.g.report.candidates;
    if (!candidates.length) return;
    const at = candidates.findIndex((c) => c.id === this.app.state.candidate);
    let next = at;
    if (e.key === 'ArrowDown' || e.key === 'j') next = Math.min(candidates.length - 1, at + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') next = Math.max(0, at < 0 ? 0 : at - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = candidates.length - 1;
    else if (e.key === 'PageDown') next = Math.min(candidates.length - 1, at + 10);
    else if (e.key === 'PageUp') next = Math.max(0, at - 10);
    else if (e.key === 'Enter' && at >= 0) {
      this.app.selectCandidate(candidates[at].id, true);
      e.preventDefault();
      return;
    } else if (e.key === 'Escape') {
      this.app.selectCandidate(null);
      return;
    } else return;
    e.preventDefault();
    if (next !== at) this.app.selectCandidate(candidates[next].id, true);
  }

  // ---- folder tree: the same open/closed state as the graph ----------------------------------

  private renderTree(): void {
    const { app } = this;
    const g = app.g;
    const rows: HTMLElement[] = [];
    const selected = app.state.selection;
    const walk = (fi: number, depth: number): void => {
      for (const ci of g.folders[fi].children) {
        const f = g.folders[ci];
        const open = app.expanded.has(ci);
        const hidden = app.state.hide.includes(f.path);
        rows.push(
          h(
            'div',
            { class: `folder-row${selected === `f:${f.path}` ? ' selected' : ''}${hidden ? ' hidden-folder' : ''}`, style: `padding-left:${depth * 12 + 4}px`, 'data-folder': f.path },
            h('button', { class: 'toggle', title: open ? 'close into one node' : 'open', 'aria-expanded': String(open), onclick: () => app.toggleFolder(ci) }, f.children.length || f.modules.length ? (open ? '▾' : '▸') : ' '),
            h('a', { href: '#', class: 'folder-name', onclick: (e: Event) => (e.preventDefault(), app.select(`f:${f.path}`)) }, `${f.name}/`),
            h('span', { class: 'count' }, num(f.count)),
            h(
              'button',
              {
                class: 'hide-toggle',
                title: hidden ? 'show again' : 'hide this folder',
                onclick: () => app.setHide(hidden ? app.state.hide.filter((p) => p !== f.path) : [...app.state.hide, f.path]),
              },
              hidden ? 'show' : 'hide',
            ),
          ),
        );
        if (open) walk(ci, depth + 1);
      }
    };
    walk(0, 0);
    this.tree.replaceChildren(...rows);
  }

  // ---- search: file names and route paths ----------------------------------------------------

  private runSearch(): void {
    const { app } = this;
    this.hits = search(app.g, this.searchBox.value);
    this.activeHit = this.hits.length ? 0 : -1;
    this.renderHits();
    app.setSearchHits(this.hits.map((x) => x.module));
  }

  private renderHits(): void {
    const g = this.app.g;
    this.results.replaceChildren(
      ...this.hits.map((hit, i) =>
        h(
          'li',
          {
            role: 'option',
            class: i === this.activeHit ? 'active' : '',
            'data-module': g.ids[hit.module],
            'data-kind': hit.kind,
            onmousedown: (e: Event) => (e.preventDefault(), this.choose(i)),
          },
          hit.kind === 'route' ? [h('b', {}, hit.route.method), ` ${hit.route.path} `, h('span', { class: 'muted' }, `→ ${g.ids[hit.module]}:${hit.route.line}`)] : g.ids[hit.module],
        ),
      ),
    );
    if (!this.hits.length && this.searchBox.value.trim()) this.results.append(h('li', { class: 'muted' }, 'no module or route matches'));
    this.results.hidden = !this.searchBox.value.trim();
  }

  private searchKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.hits.length) return;
      this.activeHit = (this.activeHit + (e.key === 'ArrowDown' ? 1 : -1) + this.hits.length) % this.hits.length;
      this.renderHits();
    } else if (e.key === 'Enter' && this.activeHit >= 0) {
      e.preventDefault();
      this.choose(this.activeHit);
    } else if (e.key === 'Escape') {
      this.searchBox.value = '';
      this.runSearch();
    }
  }

  private choose(i: number): void {
    const hit = this.hits[i];
    this.results.hidden = true;
    this.app.select(`m:${this.app.g.ids[hit.module]}`, true);
  }
}

const LABELS: Record<ColorMode, string> = { service: 'suggested service', rank: 'candidate rank', folder: 'folder', instability: 'instability' };
