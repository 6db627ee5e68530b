/** The side panel: what the selection is, with the report's own figures. */
import type { Candidate, Edge } from '../../analyzer/types';
import { rulesYaml, serviceName, type BoundaryEdge, type CandidateCut } from '../model/candidate';
import type { AggEdge } from '../model/cut';
import { basename } from '../model/graph';
import type { App } from './app';
import { HIGHLIGHT, modulesOf } from './colors';
import { h, num, plural } from './dom';

const MAX_ROWS = 300;

function moduleLink(app: App, id: string, text = id): HTMLElement {
  return h('a', { href: '#', class: 'module-link', 'data-module': id, onclick: (e: Event) => (e.preventDefault(), app.select(`m:${id}`, true)) }, text);
}

function section(title: string, ...body: (Node | string | null | false)[]): HTMLElement {
  return h('section', {}, h('h3', {}, title), ...body);
}

function capped<T>(list: T[], row: (x: T) => Node): Node[] {
  const rows = list.slice(0, MAX_ROWS).map(row);
  if (list.length > MAX_ROWS) rows.push(h('li', { class: 'more' }, `and ${num(list.length - MAX_ROWS)} more`));
  return rows;
}

const names = (e: Edge): string => (e.names?.length ? `{ ${e.names.join(', ')} }` : '');

/** One import line: `src/a.ts:12  './b.js'  { x, y }  static`. */
function importRow(app: App, e: Edge, other: 'to' | 'from' | 'both' = 'both', direction?: BoundaryEdge['direction']): HTMLElement {
  return h(
    'li',
    { class: `import ${direction ?? ''}`, 'data-from': e.from, 'data-to': e.to, 'data-line': e.line, 'data-kind': e.kind },
    h('span', { class: 'loc' }, moduleLink(app, e.from, other === 'to' ? `${basename(e.from)}:${e.line}` : `${e.from}:${e.line}`)),
    ' ',
    h('code', {}, `'${e.specifier}'`),
    names(e) ? h('span', { class: 'names' }, ` ${names(e)}`) : null,
    other !== 'from' ? h('span', { class: 'arrow' }, ' → ', moduleLink(app, e.to, other === 'to' ? e.to : basename(e.to))) : null,
    e.via ? h('span', { class: 'via' }, ` via ${e.via}`) : null,
    h('span', { class: `kind kind-${e.kind}` }, e.kind),
  );
}

export function renderOverview(app: App): HTMLElement {
  const r = app.g.report;
  const s = r.summary;
  const d = r.decomposition;
  return h(
    'div',
    { class: 'overview' },
    h('h2', {}, projectName(app)),
    h('p', { class: 'muted' }, `analyzed ${new Date(r.generatedAt).toLocaleString()} · strangler ${r.tool.version}`),
    h(
      'table',
      { class: 'metrics' },
      row('modules', num(s.modules)),
      row('edges', `${num(s.edges)} (${num(s.runtimeEdges)} runtime, ${num(s.typeOnlyEdges)} type-only)`),
      row('runtime cycles', num(s.cycles)),
      row('routes', num(s.routes)),
      row('tables', num(s.tables)),
      row('warnings', num(s.warnings)),
      row('suggested services', `${d.services.length} (modularity ${d.modularity.toFixed(2)}, ICP ${(d.icp * 100).toFixed(0)} %)`),
    ),
    h(
      'p',
      { class: 'hint' },
      'Click a module: what depends on it lights up in ',
      swatch(HIGHLIGHT.dependents),
      ' orange, what it depends on in ',
      swatch(HIGHLIGHT.dependencies),
      ' blue. Click a folder to open it. Pick a candidate on the left (↑ ↓ keys) to see what extracting it would cut.',
    ),
  );
}

export function projectName(app: App): string {
  const root = app.g.report.root.replace(/[\\/]+$/, '');
  return root.slice(Math.max(root.lastIndexOf('/'), root.lastIndexOf('\\')) + 1) || root;
}

function row(label: string, value: string | Node, key?: string): HTMLElement {
  return h('tr', key ? { 'data-metric': key } : {}, h('th', {}, label), h('td', {}, value));
}

function swatch(color: string): HTMLElement {
  return h('span', { class: 'swatch', style: `background:${color}` });
}

export function renderModulePanel(app: App, m: number): HTMLElement {
  const g = app.g;
  const mod = g.modules[m];
  const focus = app.focus;
  const depth = app.state.depth;
  const dependents = focus?.dependents.size ?? 0;
  const dependencies = focus?.dependencies.size ?? 0;
  const incoming = g.pairs.filter((p) => p.to === m);
  const outgoing = g.pairs.filter((p) => p.from === m);
  const cycle = mod.cycle === null ? null : g.report.cycles[mod.cycle];
  return h(
    'div',
    { class: 'module-panel', 'data-module': mod.id },
    h('h2', {}, basename(mod.id)),
    h('div', { class: 'path' }, mod.id),
    breadcrumbs(app, m),
    h(
      'table',
      { class: 'metrics' },
      row('lines of code', num(mod.loc), 'loc'),
      row('blast radius', h('span', {}, h('b', { 'data-value': mod.blastRadius }, num(mod.blastRadius)), ' modules depend on it, transitively'), 'blastRadius'),
      row('depends on', h('span', {}, h('b', { 'data-value': mod.transitiveDependencies }, num(mod.transitiveDependencies)), ' modules, transitively'), 'transitiveDependencies'),
      row('Ca (imported by)', `${mod.ca} runtime, ${mod.caTypeOnly} type-only`, 'ca'),
      row('Ce (imports)', `${mod.ce} runtime, ${mod.ceTypeOnly} type-only`, 'ce'),
      row('instability', mod.instability.toFixed(2), 'instability'),
      row('runtime cycle', cycle ? `#${mod.cycle! + 1} with ${cycle.length - 1} other modules` : 'none', 'cycle'),
    ),
    h(
      'p',
      { class: 'focus-line', 'data-dependents': dependents, 'data-dependencies': dependencies },
      swatch(HIGHLIGHT.dependents),
      ` ${plural(dependents, 'dependent')}`,
      '  ',
      swatch(HIGHLIGHT.dependencies),
      ` ${plural(dependencies, 'dependency', 'dependencies')} highlighted`,
      depth === null ? ' (all the way, as the report counts)' : ` (within ${plural(depth, 'step')})`,
    ),
    cycle ? section('Cycle', h('ul', { class: 'plain' }, cycle.map((id) => h('li', {}, moduleLink(app, id))))) : null,
    section(
      `Routes (${mod.routes.length})`,
      mod.routes.length
        ? h('ul', { class: 'routes' }, mod.routes.map((r) => h('li', { 'data-route': `${r.method} ${r.path}` }, h('b', {}, r.method), ` ${r.path}`, h('span', { class: 'muted' }, ` :${r.line}`))))
        : h('p', { class: 'muted' }, 'serves no route'),
    ),
    section(
      `Tables (${mod.tables.length})`,
      mod.tables.length || mod.definesTables?.length
        ? h(
            'ul',
            { class: 'tables' },
            mod.tables.map((t) => h('li', { 'data-table': t.name, 'data-access': t.access }, h('code', {}, t.name), ` ${t.access}s`)),
            (mod.definesTables ?? []).map((t) => h('li', { 'data-defines': t }, h('code', {}, t), ' defines the schema')),
          )
        : h('p', { class: 'muted' }, 'touches no table'),
    ),
    section(`Imported by (${incoming.length} modules)`, h('ul', { class: 'imports' }, capped(incoming.flatMap((p) => p.edges), (e) => importRow(app, e, 'from')))),
    section(`Imports (${outgoing.length} modules)`, h('ul', { class: 'imports' }, capped(outgoing.flatMap((p) => p.edges), (e) => importRow(app, e, 'to')))),
    g.candidatesOf[m].length
      ? section(
          'In candidates',
          h(
            'ul',
            { class: 'plain' },
            g.candidatesOf[m]
              .map((ci) => g.report.candidates[ci])
              .sort((a, b) => a.rank - b.rank)
              .slice(0, 20)
              .map((c) => h('li', {}, h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), app.selectCandidate(c.id)) }, `#${c.rank} ${c.name}`), h('span', { class: 'muted' }, ` score ${c.score.toFixed(2)}`))),
          ),
        )
      : null,
    mod.packages.length ? section('Packages', h('p', { class: 'packages' }, mod.packages.join(', '))) : null,
  );
}

function breadcrumbs(app: App, m: number): HTMLElement {
  const chain = app.g.ancestors(m).filter((f) => f !== 0);
  return h(
    'div',
    { class: 'crumbs' },
    chain.map((f) =>
      h('button', { class: 'crumb', title: `close ${app.g.folders[f].path}/ into one node`, onclick: () => app.collapse(f) }, `${app.g.folders[f].name}/ ⊟`),
    ),
  );
}

export function renderFolderPanel(app: App, fi: number): HTMLElement {
  const g = app.g;
  const f = g.folders[fi];
  const modules = modulesOf(g, { kind: 'folder', index: fi, key: '', group: 0, loc: 0, count: 0 });
  const open = app.expanded.has(fi);
  const top = [...modules].sort((a, b) => g.modules[b].blastRadius - g.modules[a].blastRadius).slice(0, 8);
  return h(
    'div',
    { class: 'folder-panel', 'data-folder': f.path },
    h('h2', {}, `${f.name}/`),
    h('div', { class: 'path' }, `${f.path}/`),
    h(
      'div',
      { class: 'actions' },
      h('button', { onclick: () => (open ? app.collapse(fi) : app.expand(fi)) }, open ? 'Close into one node' : 'Open'),
      h('button', { onclick: () => app.setHide([...app.state.hide, f.path]) }, 'Hide'),
    ),
    h(
      'table',
      { class: 'metrics' },
      row('modules', num(f.count)),
      row('lines of code', num(f.loc)),
      row('depend on it', `${num(app.focus?.dependents.size ?? 0)} modules outside it`),
      row('it depends on', `${num(app.focus?.dependencies.size ?? 0)} modules outside it`),
    ),
    section('Largest blast radius inside', h('ul', { class: 'plain' }, top.map((m) => h('li', {}, moduleLink(app, g.ids[m]), h('span', { class: 'muted' }, ` ${g.modules[m].blastRadius}`))))),
  );
}

export function renderEdgePanel(app: App, e: AggEdge): HTMLElement {
  const g = app.g;
  const label = (i: number): string => {
    const it = app.cut.items[i];
    return it.kind === 'module' ? g.ids[it.index] : `${g.folders[it.index].path}/`;
  };
  const edges = e.pairs.flatMap((p) => g.pairs[p].edges).filter((x) => app.state.typeOnly || x.kind !== 'type-only');
  return h(
    'div',
    { class: 'edge-panel' },
    h('h2', {}, 'Imports'),
    h('div', { class: 'path' }, label(e.source), ' → ', label(e.target)),
    h('p', { class: 'muted' }, `${plural(e.pairs.length, 'module pair')}, ${plural(edges.length, 'import line')}${e.inCycle ? ', part of a runtime cycle' : ''}`),
    h('ul', { class: 'imports' }, capped(edges, (x) => importRow(app, x))),
  );
}

export function renderCandidatePanel(app: App, c: Candidate, cut: CandidateCut): HTMLElement {
  const inbound = cut.boundary.filter((b) => b.direction === 'inbound');
  const outbound = cut.boundary.filter((b) => b.direction === 'outbound');
  return h(
    'div',
    { class: 'candidate-panel', 'data-candidate': c.id },
    h('h2', {}, `#${c.rank} ${c.name}`),
    h('div', { class: 'path' }, `${c.kind} · ${c.label} · ${plural(c.modules.length, 'module')} · score ${c.score.toFixed(2)} (lower is safer)`),
    section(
      'Score',
      h(
        'table',
        { class: 'terms' },
        h('tr', {}, h('th', {}, 'term'), h('th', {}, 'value'), h('th', {}, 'weight'), h('th', {}, 'adds')),
        c.terms.flatMap((t) => [
          h('tr', { class: 'term', 'data-term': t.name }, h('td', {}, h('b', {}, t.name)), h('td', {}, String(t.value)), h('td', {}, `× ${t.weight}`), h('td', { class: 'adds' }, `+${t.contribution.toFixed(2)}`)),
          h('tr', { class: 'reason-row' }, h('td', { class: 'reason', colspan: 4 }, t.reason)),
        ]),
      ),
    ),
    section(
      `Boundary: ${plural(cut.boundary.length, 'runtime import')} would cross it`,
      h('h4', {}, swatch(HIGHLIGHT.dependents), ` In (${inbound.length}): code outside that would call it over the network`),
      h('ul', { class: 'imports boundary', 'data-direction': 'inbound' }, capped(inbound, (b) => importRow(app, b.edge, 'both', 'inbound'))),
      h('h4', {}, swatch(HIGHLIGHT.dependencies), ` Out (${outbound.length}): what it uses outside, to copy or call`),
      h('ul', { class: 'imports boundary', 'data-direction': 'outbound' }, capped(outbound, (b) => importRow(app, b.edge, 'both', 'outbound'))),
      cut.typeOnly.length
        ? h('details', {}, h('summary', {}, `${plural(cut.typeOnly.length, 'type-only import')} across (no call: shared types to publish or copy)`), h('ul', { class: 'imports' }, capped(cut.typeOnly, (b) => importRow(app, b.edge, 'both', b.direction))))
        : null,
    ),
    section(
      `Shared tables (${cut.shared.length})`,
      cut.shared.length
        ? h(
            'table',
            { class: 'shared-tables' },
            h('tr', {}, h('th', {}, 'table'), h('th', {}, 'it'), h('th', {}, 'also written by'), h('th', {}, 'also read by')),
            cut.shared.map((t) =>
              h(
                'tr',
                { 'data-table': t.name },
                h('td', {}, h('code', {}, t.name)),
                h('td', {}, `${t.access}s`),
                h('td', { class: 'writers' }, t.writers.map((id) => h('div', {}, moduleLink(app, id)))),
                h('td', { class: 'readers' }, t.readers.map((id) => h('div', {}, moduleLink(app, id)))),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'shares no table with code outside it'),
      cut.own.length ? h('p', { class: 'muted own-tables' }, `Its own: ${cut.own.join(', ')}`) : null,
    ),
    section(
      `Facade rules (${cut.rules.length})`,
      cut.rules.length
        ? h('div', {}, h('p', { class: 'muted' }, `The routes.yaml entries that would move its ${plural(c.routes.length, 'route')} (weight 0: start with shadow or a small share):`), h('pre', { class: 'rules' }, rulesYaml(cut.rules, serviceName(c))))
        : h('p', { class: 'muted' }, 'No routes: the facade cannot move traffic to it; it moves as a library.'),
      c.routes.length ? h('ul', { class: 'routes' }, capped(c.routes, (r) => h('li', { 'data-route': `${r.method} ${r.path}` }, h('b', {}, r.method), ` ${r.path} `, moduleLink(app, r.module, `${basename(r.module)}:${r.line}`)))) : null,
    ),
    section(`Modules (${c.modules.length})`, h('ul', { class: 'plain' }, capped(c.modules, (id) => h('li', {}, moduleLink(app, id))))),
  );
}
