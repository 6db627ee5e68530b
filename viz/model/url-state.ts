/**
 * The part of the view a shared link carries, kept in the URL's hash (it works from file:// too):
 * `#sel=m:src/orders/orders.service.ts&depth=2&color=rank&types=0&hide=src/legacy&zoom=120,40,1.5`.
 */

export const COLOR_MODES = ['service', 'rank', 'folder', 'instability'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export interface ViewState {
  /** `m:<module id>`, `f:<folder path>`, or `e:<item key>><item key>` for an edge. */
  selection: string | null;
  candidate: string | null;
  /** Depth limit of blast radius and dependencies; null: all the way (what the report counts). */
  depth: number | null;
  color: ColorMode;
  typeOnly: boolean;
  hide: string[];
  /** Folder paths open, when the user changed them from the default. */
  open: string[] | null;
  zoom: [number, number, number] | null;
}

export const DEFAULT_STATE: ViewState = { selection: null, candidate: null, depth: null, color: 'service', typeOnly: true, hide: [], open: null, zoom: null };

export function parseState(hash: string): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const state: ViewState = { ...DEFAULT_STATE, hide: [] };
  state.selection = p.get('sel') || null;
  state.candidate = p.get('c') || null;
  const depth = Number(p.get('depth'));
  if (p.has('depth') && Number.isInteger(depth) && depth >= 1) state.depth = depth;
  const color = p.get('color');
  if (color && (COLOR_MODES as readonly string[]).includes(color)) state.color = color as ColorMode;
  if (p.get('types') === '0') state.typeOnly = false;
  state.hide = (p.get('hide') ?? '').split(',').filter(Boolean);
  if (p.has('open')) state.open = (p.get('open') ?? '').split('|').filter((x) => x !== '');
  const zoom = (p.get('zoom') ?? '').split(',').map(Number);
  if (zoom.length === 3 && zoom.every(Number.isFinite) && zoom[2] > 0) state.zoom = [zoom[0], zoom[1], zoom[2]];
  return state;
}

export function formatState(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.selection) p.set('sel', s.selection);
  if (s.candidate) p.set('c', s.candidate);
  if (s.depth !== null) p.set('depth', String(s.depth));
  if (s.color !== DEFAULT_STATE.color) p.set('color', s.color);
  if (!s.typeOnly) p.set('types', '0');
  if (s.hide.length) p.set('hide', s.hide.join(','));
  if (s.open) p.set('open', s.open.join('|'));
  if (s.zoom) p.set('zoom', s.zoom.map((v, i) => (i === 2 ? v.toFixed(3) : v.toFixed(0))).join(','));
  const text = p.toString().replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%7C/g, '|').replace(/%3E/g, '>');
  return text ? `#${text}` : '';
}
