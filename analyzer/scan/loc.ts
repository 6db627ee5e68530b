/**
 * Lines of code: lines holding at least one character that is neither whitespace nor part of
 * a comment. A character scan that knows strings, template literals (with `${}` nesting) and
 * comments; a regular expression literal containing a quote or `//` can fool it, which is
 * accepted for speed (no second tokenization of the file).
 */
export function countLoc(text: string): number {
  let count = 0;
  let lineHasCode = false;
  let i = 0;
  const n = text.length;
  /** Brace depth at which each open template's `${` started. */
  const templates: number[] = [];
  let braceDepth = 0;
  const endLine = (): void => {
    if (lineHasCode) count++;
    lineHasCode = false;
  };
  const scanTemplate = (): void => {
    // inside a template literal body, until the closing backtick or a `${`
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) {
        i += 2;
        continue;
      }
      if (c === 10) endLine();
      else lineHasCode = lineHasCode || c > 32;
      if (c === 96 /* ` */) {
        i++;
        return;
      }
      if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
        lineHasCode = true;
        templates.push(braceDepth);
        braceDepth++;
        i += 2;
        return;
      }
      i++;
    }
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      endLine();
      i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      // comments are most of a JSDoc-heavy file: jump over them with indexOf; of the line breaks
      // inside, only the first can end a line holding code
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close;
      const nl = text.indexOf('\n', i + 2);
      if (nl >= 0 && nl < end) endLine();
      i = end + 2;
    } else if (c === 34 || c === 39) {
      lineHasCode = true;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c || d === 10) {
          if (d === c) i++;
          break;
        } else i++;
      }
    } else if (c === 96) {
      lineHasCode = true;
      i++;
      scanTemplate();
    } else if (c === 123) {
      braceDepth++;
      lineHasCode = true;
      i++;
    } else if (c === 125) {
      braceDepth--;
      lineHasCode = true;
      i++;
      if (templates.length && templates[templates.length - 1] === braceDepth) {
        templates.pop();
        scanTemplate();
      }
    } else {
      if (c > 32 && c !== 0xfeff) lineHasCode = true;
      i++;
    }
  }
  endLine();
  return count;
}

/** JSON modules: non-blank lines. */
export function countJsonLoc(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) if (line.trim()) count++;
  return count;
}
