import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { collectRouteFacts, composeRoutes, type RouteFacts } from '../index';
import { parse, sourceFiles } from './helpers';

const root = path.resolve(__dirname, '../../../sample-monolith');

interface GroundTruth {
  routes: { method: string; path: string; module: string }[];
}

/** Module resolution as the compiler does it with the sample's tsconfig (its `@shared/*` alias included). */
function tsconfigResolver(): (from: string, specifier: string) => string | undefined {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
  const options = ts.parseJsonConfigFileContent(config, ts.sys, root).options;
  return (from, specifier) => {
    const resolved = ts.resolveModuleName(specifier, path.join(root, from), options, ts.sys).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    return path.relative(root, resolved.resolvedFileName).split(path.sep).join('/');
  };
}

describe('routes of sample-monolith', () => {
  it('equal the ground truth exactly', () => {
    const truth = JSON.parse(fs.readFileSync(path.join(root, 'ground-truth.json'), 'utf8')) as GroundTruth;
    const facts = new Map<string, RouteFacts>();
    for (const id of sourceFiles(root, 'src')) facts.set(id, collectRouteFacts(parse(id, fs.readFileSync(path.join(root, id), 'utf8'))));
    const routes = composeRoutes(facts, tsconfigResolver());

    const key = (r: { method: string; path: string; module: string }): string => `${r.method} ${r.path} ${r.module}`;
    expect(routes.map(key).sort()).toEqual(truth.routes.map(key).sort());
    expect(routes.every((r) => r.line > 0)).toBe(true);
  });
});
