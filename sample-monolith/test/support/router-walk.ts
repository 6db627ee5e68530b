/**
 * Lists the routes an Express 5 app really serves by walking its router stack, and names the
 * module that registered each one by matching the Router objects the *.router.ts modules export.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { MONOLITH_ROOT } from './source-facts';

export interface ServedRoute {
  method: string;
  path: string;
  module: string;
}

interface LayerLike {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: LayerLike[] };
}

function routerModules(): Map<unknown, string> {
  const owners = new Map<unknown, string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.router.ts')) {
        const id = path.relative(MONOLITH_ROOT, full).split(path.sep).join('/');
        for (const value of Object.values(require(full) as Record<string, unknown>)) owners.set(value, id);
      }
    }
  };
  visit(path.join(MONOLITH_ROOT, 'src'));
  return owners;
}

const join = (prefix: string, part: string) => {
  const joined = (prefix + (part === '/' ? '' : part)).replace(/\/+/g, '/');
  return joined === '' ? '/' : joined;
};

export function servedRoutes(app: Express): ServedRoute[] {
  const owners = routerModules();
  const out: ServedRoute[] = [];
  const walk = (stack: LayerLike[], prefix: string, module: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: join(prefix, layer.route.path), module });
        }
      } else if (layer.handle.stack) {
        const owner = owners.get(layer.handle);
        if (!owner) throw new Error(`a router mounted at ${prefix}${layer.rawPath} is not exported by any *.router.ts module`);
        walk(layer.handle.stack, join(prefix, layer.rawPath ?? ''), owner);
      }
    }
  };
  const root = (app as unknown as { router: { stack: LayerLike[] } }).router;
  walk(root.stack, '', 'src/app.ts');
  return out;
}
