/**
 * SVG against canvas on the same picture: the positions the viewer's layout gave, drawn by a
 * plain SVG renderer (one element per node and edge, a transformed group), by canvas redrawn
 * in full every frame, and by canvas as the viewer draws it while a gesture is under way (the
 * last full picture moved as a bitmap). Each one is moved through the same 150 transforms.
 */
export interface RendererInput {
  x: number[];
  y: number[];
  r: number[];
  edges: [number, number][];
}

export const RENDERERS = ['svg', 'canvas', 'canvas-bitmap'] as const;
export type Renderer = (typeof RENDERERS)[number];

export interface RendererResult {
  renderer: Renderer;
  /** Time to build and draw the first picture. */
  firstMs: number;
  /** Script time of one frame's drawing (median, p95). */
  drawMedianMs: number;
  drawP95Ms: number;
  /** requestAnimationFrame intervals while moving: what the user sees (16.7 ms is every frame). */
  frameMedianMs: number;
  frameP95Ms: number;
}

/** The page: `run(mode, input)` draws and moves the picture and resolves to the timings. */
export const RENDERERS_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#f8f9fb}#root{width:1280px;height:800px;position:relative}</style></head>
<body><div id="root"></div><script>
const W = 1280, H = 800;
function quantile(a, q) { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; }
function fitOf(inp) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < inp.x.length; i++) { x0 = Math.min(x0, inp.x[i]); y0 = Math.min(y0, inp.y[i]); x1 = Math.max(x1, inp.x[i]); y1 = Math.max(y1, inp.y[i]); }
  const k = Math.min(W / (x1 - x0 + 1), H / (y1 - y0 + 1)) * 0.9;
  return { k, x: W / 2 - k * (x0 + x1) / 2, y: H / 2 - k * (y0 + y1) / 2 };
}
function svgRenderer(inp) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg'); svg.setAttribute('width', W); svg.setAttribute('height', H);
  const g = document.createElementNS(ns, 'g'); svg.appendChild(g);
  const ge = document.createElementNS(ns, 'g'); ge.setAttribute('stroke', '#8a93a6'); ge.setAttribute('stroke-opacity', '0.5'); ge.setAttribute('vector-effect', 'non-scaling-stroke'); g.appendChild(ge);
  for (const [a, b] of inp.edges) { const l = document.createElementNS(ns, 'line'); l.setAttribute('x1', inp.x[a]); l.setAttribute('y1', inp.y[a]); l.setAttribute('x2', inp.x[b]); l.setAttribute('y2', inp.y[b]); ge.appendChild(l); }
  const gn = document.createElementNS(ns, 'g'); gn.setAttribute('fill', '#4e79a7'); gn.setAttribute('stroke', '#333'); g.appendChild(gn);
  for (let i = 0; i < inp.x.length; i++) { const c = document.createElementNS(ns, 'circle'); c.setAttribute('cx', inp.x[i]); c.setAttribute('cy', inp.y[i]); c.setAttribute('r', inp.r[i]); gn.appendChild(c); }
  document.getElementById('root').appendChild(svg);
  return { draw: (t) => g.setAttribute('transform', 'translate(' + t.x + ',' + t.y + ') scale(' + t.k + ')'), flush: () => svg.getBoundingClientRect() };
}
function canvasRenderer(inp, bitmap) {
  const c = document.createElement('canvas'); c.width = W; c.height = H; document.getElementById('root').appendChild(c);
  const ctx = c.getContext('2d', { alpha: false });
  const full = (t) => {
    ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.fillStyle = '#f8f9fb'; ctx.fillRect(0, 0, W, H);
    ctx.setTransform(t.k, 0, 0, t.k, t.x, t.y);
    ctx.beginPath(); for (const [a, b] of inp.edges) { ctx.moveTo(inp.x[a], inp.y[a]); ctx.lineTo(inp.x[b], inp.y[b]); }
    ctx.globalAlpha = 0.5; ctx.strokeStyle = '#8a93a6'; ctx.lineWidth = 1 / t.k; ctx.stroke(); ctx.globalAlpha = 1;
    ctx.beginPath(); for (let i = 0; i < inp.x.length; i++) { ctx.moveTo(inp.x[i] + inp.r[i], inp.y[i]); ctx.arc(inp.x[i], inp.y[i], inp.r[i], 0, 6.2832); }
    ctx.fillStyle = '#4e79a7'; ctx.fill(); ctx.strokeStyle = '#333'; ctx.stroke();
  };
  let snap = null, t0 = null;
  const draw = (t) => {
    if (!bitmap) return full(t);
    if (!snap) { full(t); snap = document.createElement('canvas'); snap.width = W; snap.height = H; snap.getContext('2d').drawImage(c, 0, 0); t0 = t; return; }
    const k = t.k / t0.k;
    ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.fillStyle = '#f8f9fb'; ctx.fillRect(0, 0, W, H);
    ctx.setTransform(k, 0, 0, k, t.x - k * t0.x, t.y - k * t0.y); ctx.drawImage(snap, 0, 0);
  };
  return { draw, flush: () => ctx.getImageData(0, 0, 1, 1) };
}
window.run = (mode, inp) => new Promise((resolve) => {
  document.getElementById('root').replaceChildren();
  const fit = fitOf(inp);
  const started = performance.now();
  const r = mode === 'svg' ? svgRenderer(inp) : canvasRenderer(inp, mode === 'canvas-bitmap');
  r.draw(fit); r.flush();
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const firstMs = performance.now() - started;
    const draws = [], frames = [];
    let last = performance.now(), i = 0;
    const step = (now) => {
      frames.push(now - last); last = now; i++;
      const t = { k: fit.k * (1 + 0.3 * Math.sin(i / 25)), x: fit.x + 120 * Math.sin(i / 20), y: fit.y + 80 * Math.cos(i / 30) };
      const a = performance.now(); r.draw(t); r.flush(); draws.push(performance.now() - a);
      if (i < 150) requestAnimationFrame(step);
      else resolve({ renderer: mode, firstMs, drawMedianMs: quantile(draws, 0.5), drawP95Ms: quantile(draws, 0.95), frameMedianMs: quantile(frames.slice(3), 0.5), frameP95Ms: quantile(frames.slice(3), 0.95) });
    };
    requestAnimationFrame(step);
  }));
});
</script></body></html>`;
