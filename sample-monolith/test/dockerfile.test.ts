import fs from 'node:fs';
import path from 'node:path';

const MONOLITH = path.resolve(__dirname, '..');
const lines = fs.readFileSync(path.join(MONOLITH, 'Dockerfile'), 'utf8').split('\n').map((l) => l.trim());
const ignored = fs.readFileSync(path.join(MONOLITH, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const at = (pattern: RegExp) => {
  const i = lines.findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`Dockerfile has no line matching ${pattern}`);
  return i;
};

// No container engine runs in CI here; these pin the properties the image depends on.
describe('Dockerfile', () => {
  it('takes the base image as a build argument defaulting to node:20-alpine', () => {
    expect(lines[at(/^ARG BASE_IMAGE=/)]).toBe('ARG BASE_IMAGE=node:20-alpine');
    expect(at(/^ARG BASE_IMAGE=/)).toBeLessThan(at(/^FROM \$\{BASE_IMAGE\}/));
  });

  it('installs production dependencies from package.json before copying the source, so that layer stays cached', () => {
    expect(at(/^COPY package\.json \.\/$/)).toBeLessThan(at(/^RUN npm install --omit=dev/));
    expect(at(/^RUN npm install --omit=dev/)).toBeLessThan(at(/^COPY src \.\/src$/));
  });

  it('runs as a non-root user, exposes 3000 and starts src/server.ts', () => {
    const user = lines[at(/^USER /)];
    expect(user).not.toMatch(/^USER (root|0)\b/);
    expect(at(/^USER /)).toBeLessThan(at(/^CMD \[/));
    expect(lines).toContain('EXPOSE 3000');
    expect(lines[at(/^CMD \[/)]).toBe('CMD ["node_modules/.bin/tsx", "src/server.ts"]');
  });

  it('sends what the CMD needs into the build context and keeps the rest out', () => {
    for (const needed of ['package.json', 'tsconfig.json', 'src']) {
      expect(fs.existsSync(path.join(MONOLITH, needed))).toBe(true);
      expect(ignored).not.toContain(needed);
    }
    for (const kept of ['node_modules', 'data', 'test']) expect(ignored).toContain(kept);
  });
});
