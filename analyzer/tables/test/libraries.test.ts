import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { declaredLibraries, missedLibraries, NO_LIBRARIES } from '../libraries';

describe('data libraries', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-libs-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { knex: '^3' }, devDependencies: { prisma: '^6' } }));
    fs.mkdirSync(path.join(dir, 'packages', 'api'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'packages', 'api', 'package.json'), JSON.stringify({ dependencies: { '@nestjs/typeorm': '^10' } }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are predicted from every package.json from the analyzed folder up (a workspace package, then the monorepo root)', () => {
    expect(declaredLibraries(path.join(dir, 'packages', 'api'))).toEqual({ knex: true, kysely: false, prisma: true, orm: true, drizzle: false });
    expect(declaredLibraries(dir)).toEqual({ knex: true, kysely: false, prisma: true, orm: false, drizzle: false });
  });

  it('are checked against what the files import: a miss names every library to read the files again with', () => {
    const modules = [
      { packages: new Set(['express', 'kysely']), imports: [{ specifier: 'kysely' }] },
      { packages: new Set<string>(), imports: [{ specifier: '../generated/prisma/client' }] },
      { packages: new Set(['drizzle-orm']), imports: [{ specifier: 'drizzle-orm/sqlite-core' }] },
    ];
    expect(missedLibraries({ ...NO_LIBRARIES, knex: true }, modules)).toEqual({ knex: true, kysely: true, prisma: true, orm: false, drizzle: true });
    expect(missedLibraries({ knex: true, kysely: true, prisma: true, orm: false, drizzle: true }, modules)).toBeUndefined();
  });
});
