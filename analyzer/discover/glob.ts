/**
 * `--exclude` globs: `**` spans directories, `*` and `?` stay inside one segment. A pattern
 * matches a file when it matches the file's path or one of its parent directories
 * (`--exclude src/legacy` leaves out everything under src/legacy), relative to the root.
 */
export function globToRegExp(glob: string): RegExp {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  return new RegExp(`^${globSource(g)}(?:/.*)?$`);
}

/** The regular expression source of one glob (no anchors): also the viewer's hide patterns. */
export function globSource(glob: string): string {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more directories
      if (glob[i + 2] === '/') {
        src += '(?:.*/)?';
        i += 2;
      } else {
        src += '.*';
        i += 1;
      }
    } else if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return src;
}

export function makeExcluder(globs: readonly string[]): (relPath: string) => boolean {
  const res = globs.map(globToRegExp);
  return (rel) => res.some((re) => re.test(rel));
}
