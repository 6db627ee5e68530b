/** What floats over the graph: the legend, what changed on the last update, and messages. */
import type { ReportDiff } from '../model/diff';
import type { App } from './app';
import { HIGHLIGHT, type Palette } from './colors';
import { byId, fill, h, plural } from './dom';
import { radius } from './app';

const MAX_LEGEND = 14;

export function renderLegend(app: App, p: Palette): void {
  const legend = byId('legend');
  const entries = p.legend.entries.slice(0, MAX_LEGEND);
  const g = p.legend.gradient;
  const focus = app.focus;
  const sizes = [50, 300, 1500].map((loc) => ({ loc, r: Math.min(14, radius(loc)) }));
  const item = (swatch: HTMLElement, label: string): HTMLElement => h('span', {}, swatch, label);
  const dot = (color: string): HTMLElement => h('span', { class: 'swatch', style: `background:${color}` });
  fill(
    legend,
    h('span', { class: 'legend-title', title: 'show or hide the legend', onclick: () => legend.classList.toggle('collapsed') }, `${p.legend.title}:`),
    g ? h('span', { class: 'gradient' }, g.low, h('span', { class: 'bar', style: `background:linear-gradient(90deg, ${g.from}, ${g.mid}, ${g.to})` }), g.high) : null,
    entries.length ? h('span', { class: 'legend-group' }, entries.map((e) => item(dot(e.color), e.label)), p.legend.entries.length > MAX_LEGEND ? h('span', { class: 'muted' }, `and ${p.legend.entries.length - MAX_LEGEND} more`) : null) : null,
    focus
      ? h(
          'span',
          { class: 'legend-group' },
          focus.kind === 'candidate'
            ? [item(dot(HIGHLIGHT.member), 'in the candidate'), item(dot(HIGHLIGHT.dependents), 'imports it (would call it over the network)'), item(dot(HIGHLIGHT.dependencies), 'it imports (to copy or call)')]
            : [item(dot(HIGHLIGHT.dependents), 'depends on it (blast radius)'), item(dot(HIGHLIGHT.dependencies), 'it depends on'), item(dot(HIGHLIGHT.both), 'both (a cycle)')],
        )
      : null,
    h(
      'span',
      { class: 'legend-group legend-sizes' },
      h('span', {}, 'size: lines of code'),
      sizes.map((s) => h('span', {}, h('span', { class: 'dot', style: `width:${2 * s.r}px;height:${2 * s.r}px` }), String(s.loc))),
    ),
    h(
      'span',
      { class: 'legend-group' },
      item(h('span', { class: 'line' }), 'runtime import'),
      app.state.typeOnly ? item(h('span', { class: 'line dashed' }), 'type-only') : null,
      item(h('span', { class: 'line', style: `border-color:${HIGHLIGHT.cycle}` }), 'runtime cycle'),
      item(h('span', { class: 'swatch square' }), 'folder (click to open)'),
    ),
  );
  app.view.bottomInset = legend.classList.contains('collapsed') ? 0 : legend.offsetHeight + 8;
}

export function renderChanges(app: App, d: ReportDiff, info: { parsed?: string[]; durationMs?: number }): void {
  const box = byId('changes');
  const time = new Date().toLocaleTimeString();
  const lines: (HTMLElement | null)[] = [];
  const list = (title: string, items: string[], cls: string): HTMLElement | null =>
    items.length ? h('div', { class: cls }, h('b', {}, title), h('ul', {}, items.slice(0, 8).map((x) => h('li', {}, x)), items.length > 8 ? h('li', { class: 'muted' }, `and ${items.length - 8} more`) : null)) : null;
  lines.push(list(`+ ${plural(d.edgesAdded.length, 'edge')}`, d.edgesAdded.map((e) => `${e.from}:${e.line} → ${e.to} (${e.kind})`), 'added'));
  lines.push(list(`− ${plural(d.edgesRemoved.length, 'edge')}`, d.edgesRemoved.map((e) => `${e.from} → ${e.to} (${e.kind})`), 'removed'));
  lines.push(list(`new ${d.cyclesAdded.length === 1 ? 'cycle' : 'cycles'}`, d.cyclesAdded.map((c) => [...c, c[0]].join(' → ')), 'cycle'));
  lines.push(list(`${d.cyclesRemoved.length === 1 ? 'cycle' : 'cycles'} gone`, d.cyclesRemoved.map((c) => c.join(', ')), 'removed'));
  lines.push(list('+ modules', d.modulesAdded, 'added'));
  lines.push(list('− modules', d.modulesRemoved, 'removed'));
  lines.push(
    list(
      'candidate scores',
      d.scores.map((s) =>
        !s.before ? `${s.name}: new, #${s.after!.rank} (${s.after!.score.toFixed(2)})` : !s.after ? `${s.name}: gone` : `${s.name}: ${s.before.score.toFixed(2)} → ${s.after.score.toFixed(2)}${s.before.rank !== s.after.rank ? ` (#${s.before.rank} → #${s.after.rank})` : ''}`,
      ),
      'scores',
    ),
  );
  fill(box,
    h('button', { class: 'close', title: 'close', onclick: () => (box.hidden = true) }, '×'),
    h('div', { class: 'changes-title', 'data-update': app.updates }, `Updated ${time}`, info.parsed ? ` · re-parsed ${info.parsed.length ? info.parsed.join(', ') : 'nothing'}` : '', info.durationMs !== undefined ? ` in ${info.durationMs} ms` : ''),
    d.empty ? h('div', { class: 'muted' }, 'nothing in the report changed') : null,
    ...lines,
  );
  box.hidden = false;
}

/** A message over the graph: an error (kept until the next good report) or a note. */
export function showMessage(kind: 'error' | 'note' | 'empty', title: string, lines: string[] = []): void {
  const box = byId('message');
  box.className = `message ${kind}`;
  fill(box,h('b', {}, title), lines.length ? h('ul', {}, lines.map((l) => h('li', {}, l))) : null);
  box.hidden = false;
}

export function clearMessage(): void {
  byId('message').hidden = true;
}
